# ruff: noqa: F811 - pytest passes the imported `site` fixture by its name

"""The site's layout on a phone and a desktop, as a citizen meets it: every page
type at 320, 375 and 1280 px wide, in Debian's Chromium with axe-core. No page
scrolls sideways, axe finds nothing at any impact, on a phone the header leaves the
screen to the page and each listing shows its first item within a screen and a
half (at 320 px too); every public form, empty, with errors and once sent, does the
same; the menu button opens and closes the navigation from the keyboard."""

import pytest

from home.management.commands.screenshots import take_screenshots
from tests.test_hostile_input import FORMS, address, site  # noqa: F401 - a fixture
from tests.test_performance import build_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGE_TYPES = [
    "home",
    "standard page",
    "personal data page",
    "plan",
    "action page",
    "agenda",
    "event page",
    "ceremony page",
    "association directory",
    "association page",
    "missions listing",
    "mission page",
    "expression page",
    "questions and answers",
    "form page",
    "search",
    "english home",
]
# Each listing's first item: on a phone, it shows within the first screen and a half.
FIRST_ITEMS = {
    "home": ".event-card",
    "plan": ".action-card",
    "agenda": ".agenda-item",
    "association directory": ".association-card",
    "missions listing": ".mission-card",
    "questions and answers": ".qa",
}
WIDTHS = (320, 375, 1280)
AXE = None
MEASURE = """(selector) => {
    const first = selector ? document.querySelector(selector) : null;
    return {
        sideways: document.documentElement.scrollWidth > window.innerWidth,
        header: document.querySelector("main").getBoundingClientRect().top / window.innerHeight,
        first: first ? (first.getBoundingClientRect().top + window.scrollY) / window.innerHeight : null,
    };
}"""


@pytest.fixture
def addresses(home):
    return build_site(home, 1)


def every_violation(page):
    from axe_playwright_python.sync_playwright import Axe

    # axe-core is read once and put into each page once: the widths of one page share it.
    global AXE
    AXE = AXE or Axe()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)
    response = page.evaluate("axe.run({resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in response["violations"]
    ]


def layout_problems(page, where, width, first_item=None):
    """What is wrong with the page on screen at this width, as readable strings."""
    page.set_viewport_size({"width": width, "height": 812 if width < 1000 else 900})
    measured = page.evaluate(MEASURE, first_item)
    where = f"{where} at {width} px"
    problems = [f"{where}: {violation}" for violation in every_violation(page)]
    if measured["sideways"]:
        problems.append(f"{where}: the page scrolls sideways")
    if width == 375 and measured["header"] >= 0.2:
        problems.append(f"{where}: the header takes {measured['header']:.0%} of the screen")
    if first_item and width < 1000:
        if measured["first"] is None:
            problems.append(f"{where}: no {first_item} listed")
        elif measured["first"] > 1.5:
            problems.append(f"{where}: first item at {measured['first']:.2f} screens")
    return problems


def test_every_page_type_fits_the_screen_with_no_accessibility_violation(
    live_server, page, addresses
):
    problems = []
    for name in PAGE_TYPES:
        page.goto(live_server.url + addresses[name])
        # The three widths on one load: the layout follows the viewport.
        for width in WIDTHS:
            problems += layout_problems(page, name, width, FIRST_ITEMS.get(name))
    assert problems == []


# Every public form, by the page that holds it (tests/test_hostile_input.py's), and the
# follow subscription.
FORM_PAGES = [*FORMS, "follow"]
FILL_AND_SEND = """(data) => {
    const form = document.querySelector("main form[method=post]");
    form.noValidate = true;  // the server's errors, not the browser's, are tested
    for (const [name, value] of Object.entries(data)) {
        for (const field of form.querySelectorAll(`[name="${name}"]`)) {
            if (field.type === "checkbox" || field.type === "radio") {
                field.checked = field.type === "checkbox" ? value !== "" : field.value === value;
            } else if (field.type !== "file") {
                field.value = value;
            }
        }
    }
    form.requestSubmit();
}"""


def form_address_and_data(site, name):
    if name == "follow":
        return f"/suivre/{site['plan'].pk}/", {"email": "camille@example.org", "consent": "on"}
    where, data, _model = FORMS[name]
    return address(site, where), {key: str(value) for key, value in data(site).items()}


def test_every_form_state_fits_the_screen_with_no_accessibility_violation(live_server, page, site):
    """Each form empty, sent with an error (the consent forgotten), then sent: the
    page shown (the form and its error summary, then the thank-you page) fits every
    width with nothing for axe to find."""
    problems = []
    for name in FORM_PAGES:
        url, data = form_address_and_data(site, name)
        page.set_viewport_size({"width": 375, "height": 812})
        page.goto(live_server.url + url)
        for width in WIDTHS:
            problems += layout_problems(page, f"{name} form, empty", width)
        for state, sent in (("with errors", {**data, "consent": ""}), ("sent", data)):
            with page.expect_navigation():
                page.evaluate(FILL_AND_SEND, sent)
            if state == "with errors" and not page.locator("#form-errors").count():
                problems.append(f"{name} form: no error summary after an error")
            if state == "sent" and page.locator("#form-errors").count():
                problems.append(
                    f"{name} form: refused: {page.locator('#form-errors').inner_text()}"
                )
            for width in WIDTHS:
                problems += layout_problems(page, f"{name} form, {state}", width)
    assert problems == []


def test_the_menu_button_opens_and_closes_the_navigation_from_the_keyboard_on_a_phone(
    live_server, page, addresses
):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + addresses["standard page"])
    menu_button = page.locator("summary.site-menu__button")
    navigation = page.locator(".site-menu__panel").get_by_role("navigation", name="Menu principal")
    assert not navigation.is_visible()
    # Skip link, the commune's name, the search, then the menu button.
    for _ in range(4):
        page.keyboard.press("Tab")
    assert menu_button.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert navigation.is_visible()
    assert navigation.get_by_role("link", name="Accueil").is_visible()
    # The button tells screen readers the menu is open (a <details> disclosure).
    assert page.locator("details.site-menu").evaluate("details => details.open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "menu-search-q"
    page.keyboard.press("Escape")
    assert not navigation.is_visible()
    assert menu_button.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert navigation.is_visible()
    page.keyboard.press("Enter")
    assert not navigation.is_visible()

    # On a desktop, no button: the menu is one row, aligned with the header's content.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not menu_button.is_visible()
    links = page.locator(".main-nav--bar a")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1
    brand = page.locator(".site-header .brand").bounding_box()
    first, last = links.first.bounding_box(), links.last.bounding_box()
    assert first["x"] == pytest.approx(brand["x"], abs=2)
    assert last["x"] + last["width"] <= 1280 - brand["x"] + 2


def test_the_screenshot_gallery_writes_a_phone_and_a_desktop_picture(
    live_server, browser, home, tmp_path
):
    written = take_screenshots(browser, live_server.url, [("home", "/")], tmp_path)
    assert sorted(file.name for file in written) == ["home-1280.png", "home-375.png"]
    assert all(file.stat().st_size > 10_000 for file in written)
