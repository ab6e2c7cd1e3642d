/* Public forms, progressively enhanced: everything works without this script.

   1. A refused form's error summary takes the focus when the page loads (the
      summary carries `autofocus`; this covers browsers that ignore it on a
      non-control), and a link of the summary moves the focus to its field.
   2. A field shown only for some answers of another field (`data-shown-when=
      "kind=report"`): hidden and disabled otherwise, so that a file chosen and
      then left hidden is never sent. */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.getElementById("form-errors");
    if (!summary) return;
    if (document.activeElement !== summary) summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }

  function conditionalFields() {
    document.querySelectorAll("[data-shown-when]").forEach(function (wrapper) {
      var rule = wrapper.getAttribute("data-shown-when").split("=");
      var form = wrapper.closest("form");
      if (!form || rule.length !== 2) return;
      var controls = form.querySelectorAll("[name='" + rule[0] + "']");
      function update() {
        var shown = false;
        controls.forEach(function (control) {
          if ((control.type === "radio" || control.type === "checkbox") ? control.checked && control.value === rule[1] : control.value === rule[1]) shown = true;
        });
        wrapper.hidden = !shown;
        wrapper.querySelectorAll("input, select, textarea").forEach(function (input) {
          input.disabled = !shown;
        });
      }
      controls.forEach(function (control) { control.addEventListener("change", update); });
      update();
    });
  }

  function start() {
    conditionalFields();
    focusSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
