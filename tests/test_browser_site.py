"""The site in a real browser (Debian's Chromium, driven by Playwright), with
axe-core's accessibility checks."""

import pytest

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site_pages(db):
    home = factories.make_site_home()
    page = factories.StandardPageFactory(
        parent=home,
        title="Le projet citoyen",
        slug="projet-citoyen",
        show_in_menus=True,
        body=[
            ("heading", {"text": "Une démarche partagée", "level": "h2"}),
            ("paragraph", "<p>Le bénévolat au cœur du projet.</p>"),
            ("quote", {"quote": "Il s'agit d'un dialogue.", "attribution": "Action 5"}),
        ],
    )
    page.save_revision().publish()
    factories.translate(home)
    factories.translate(page)
    return home, page


def test_home_page_loads_and_the_skip_link_works_from_the_keyboard(live_server, page, site_pages):
    console_errors = []
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append(message.text)
    )
    page.goto(live_server.url + "/")
    assert console_errors == []  # no resource blocked by the Content-Security-Policy
    assert page.title().startswith("Ville citoyenne")
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    assert skip_link.evaluate("element => element === document.activeElement")
    assert skip_link.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_language_switcher_reaches_the_english_page(live_server, page, site_pages):
    page.goto(live_server.url + "/projet-citoyen/")
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/projet-citoyen/")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("path", ["/", "/projet-citoyen/", "/recherche/?q=benevolat", "/nope/"])
def test_no_serious_accessibility_violation(live_server, page, site_pages, axe_violations, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + path)
    assert axe_violations(page) == []
