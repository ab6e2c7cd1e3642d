// The menu button is a <details> disclosure and works without this file. With it,
// Escape closes the open menu and gives the focus back to its button, and a click
// outside the menu closes it, as people expect of a menu.
document.addEventListener("keydown", (event) => {
    const menu = document.querySelector("details.site-menu[open]");
    if (event.key === "Escape" && menu) {
        menu.open = false;
        menu.querySelector("summary").focus();
    }
});
document.addEventListener("click", (event) => {
    const menu = document.querySelector("details.site-menu[open]");
    if (menu && !menu.contains(event.target)) {
        menu.open = false;
    }
});
