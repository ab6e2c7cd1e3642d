"""The English site in Chromium, as a screen reader meets it (RGAA 8.7): every word the
site writes itself is English, and every French word of a page the team has not
translated yet is inside an element marked lang="fr", so that it is read with a French
voice. Each text node and each read attribute (alt, aria-label, placeholder, title) is
checked against its nearest lang (the <head> is not: a <title> takes no lang for screen readers); under lang="en" a French accent, elision or function
word fails the test."""

from pathlib import Path

from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.synctree import synchronize_tree

import pytest

from home.models import Commune
from tests import factories
from tests.test_performance import build_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

UNTAGGED_FRENCH = (Path(__file__).parent / "js" / "untagged_french.js").read_text()

ENGLISH_PAGES = [
    "home",
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
    "form page",
    "questions and answers",
    "standard page",
    "personal data page",
]


def proper_names():
    """Place names are not translated (RGAA 8.7 leaves proper nouns out)."""
    return ["Loire-Authion", *Commune.objects.values_list("name", flat=True)]


@pytest.fixture
def english_site(home):
    addresses = build_site(home, 1)
    french = Locale.objects.get(language_code="fr")
    synchronize_tree(french, factories.english())
    return {name: "/en" + addresses[name] for name in ENGLISH_PAGES} | {
        "search": "/en/recherche/?q=association"
    }


def translate_for_real(page, words):
    """Translate `page` into English as the team does in wagtail-localize."""
    source, _ = TranslationSource.get_or_create_from_instance(page.specific)
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=factories.english(), defaults={"enabled": True}
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = words(entry.msgid)
    translation.import_po(po)
    translation.save_target(publish=True)


def test_english_pages_have_no_untagged_french(live_server, page, english_site):
    # One test for every page type: the site is built once.
    names = proper_names()
    found = {}
    for name, address in english_site.items():
        page.goto(live_server.url + address)
        assert page.locator("html").get_attribute("lang") == "en", name
        found[name] = page.evaluate(UNTAGGED_FRENCH, names)
    # A form sent empty: its error messages are the site's, its fields the page's.
    for name in ("form page", "expression page"):
        page.goto(live_server.url + english_site[name])
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator("#form-errors").count() == 1, name
        found[f"{name} with errors"] = page.evaluate(UNTAGGED_FRENCH, names)
    assert {name: texts for name, texts in found.items() if texts} == {}


def test_a_page_not_yet_translated_says_so_and_is_marked_french(live_server, page, english_site):
    page.goto(live_server.url + english_site["action page"])
    notice = page.locator(".untranslated-notice")
    assert notice.inner_text() == "This page has not been translated yet: it is shown in French."
    assert page.locator("h1 [lang=fr], h1[lang=fr]").count() == 1
    menu = page.get_by_role("navigation", name="Main menu").first
    assert menu.locator("a [lang=fr]").count() >= 1


def test_a_translated_page_is_english_with_no_notice(live_server, page, english_site, home):
    from actions.models import ActionIndexPage

    plan = ActionIndexPage.objects.get(locale__language_code="fr")
    translate_for_real(
        plan, lambda french: "The action plan" if french == plan.title else "In English"
    )
    page.goto(live_server.url + english_site["plan"])
    assert page.locator(".untranslated-notice").count() == 0
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "The action plan"
    assert heading.locator("[lang]").count() == 0
    page.goto(live_server.url + english_site["home"])
    assert (
        page.get_by_role("navigation", name="Main menu")
        .first.get_by_role("link", name="The action plan")
        .locator("[lang]")
        .count()
        == 0
    )


def test_the_demo_in_english_has_no_untagged_french(live_server, page):
    """The demo's pages are written the way the commune's team writes (association
    names, prices, the accessibility statement's findings, the site map's titles):
    on the English site, every French word of theirs is marked lang="fr", on every
    page type, the site map and the forms sent empty."""
    from django.core.management import call_command

    from home.management.commands.screenshots import pages_to_shoot

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    addresses = dict(pages_to_shoot("en")[:-2])
    assert {"accessibilitypage", "eventpage", "missionpage", "fundpage"} <= addresses.keys()
    addresses |= {"site map": "/en/plan-du-site/", "search": "/en/recherche/?q=loto"}
    names = proper_names()
    found = {}
    for name, address in addresses.items():
        page.goto(live_server.url + address)
        assert page.locator("html").get_attribute("lang") == "en", name
        found[name] = page.evaluate(UNTAGGED_FRENCH, names)
        send = page.locator("main form[method=post] button[type=submit]")
        if send.count():
            send.last.click()
            page.wait_for_load_state()
            assert page.locator("#form-errors").count() == 1, name
            found[f"{name} with errors"] = page.evaluate(UNTAGGED_FRENCH, names)
    assert {name: texts for name, texts in found.items() if texts} == {}
