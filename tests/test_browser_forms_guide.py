"""Forms that guide, in Chromium, with the keyboard only, on a phone (375 px): a
citizen sends a report with a photo to the idea box, forgets a field, is taken to the
error summary (focused, on screen), follows its link to the field, and sends the
message with the photo chosen the first time; another offers their help for a
mission, forgets the consent, and does the same."""

from pathlib import Path

from django.conf import settings

import pytest

from bénévolat.models import VolunteerRequest
from expression.models import Submission
from expression.photos import KEPT_PHOTO_FOLDER
from home.models import Commune
from tests import factories
from tests.factories import benevolat as bf
from tests.factories import expression as expression_factories
from tests.factories.expression import jpeg_with_location

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


def tab_to(page, locator, limit=120):
    """Press Tab until `locator` has the focus, as a keyboard user moves through a page."""
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("(element) => document.activeElement === element", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} never took the focus with Tab")


def summary_state(page):
    """Whether the error summary has the focus and where it stands on the screen."""
    return page.evaluate(
        """() => {
            const summary = document.getElementById("form-errors");
            const box = summary.getBoundingClientRect();
            return {
                focused: document.activeElement === summary,
                onScreen: box.top >= 0 && box.top < window.innerHeight,
                text: summary.innerText,
            };
        }"""
    )


def focused_id(page):
    return page.evaluate("() => document.activeElement.id")


def test_a_report_with_a_photo_sent_after_one_error_with_the_keyboard(
    live_server, page, tmp_path, axe_violations
):
    home = factories.make_site_home()
    expression_page = expression_factories.expression_page(home)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + expression_page.url)

    # The photo is offered for a report only.
    photo_field = page.locator("#id_photo")
    assert not photo_field.is_visible()
    tab_to(page, page.get_by_label("Idée", exact=True))
    for _ in range(4):  # arrows move through a group of radios
        page.keyboard.press("ArrowDown")
    assert page.get_by_label("Signalement d'un problème dans l'espace public").is_checked()
    assert photo_field.is_visible()

    tab_to(page, page.get_by_role("textbox", name="Objet"))
    page.keyboard.type("Trou dans la chaussée")
    page.keyboard.press("Tab")
    page.keyboard.type("Un trou profond devant l'école de Bauné.")
    # The commune déléguée is forgotten.
    tab_to(page, photo_field)
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(jpeg_with_location().read())
    photo_field.set_input_files(photo)  # the system's file picker is out of the page's reach
    tab_to(page, page.get_by_label("Votre nom"))
    page.keyboard.type("Camille Martin")
    page.keyboard.press("Tab")
    page.keyboard.type("camille@example.org")
    tab_to(page, page.get_by_label("J'accepte que la commune conserve ce message"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Envoyer mon message"))
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")

    # Taken to the summary: focused, on the phone's screen, the photo kept.
    state = summary_state(page)
    assert state["focused"] and state["onScreen"]
    assert "Commune déléguée concernée" in state["text"]
    assert page.title().startswith("Erreur :")
    assert page.get_by_text("Votre photo est conservée").is_visible()
    assert page.get_by_role("img", name="La photo que vous avez jointe").is_visible()
    assert Submission.objects.count() == 0
    assert axe_violations(page) == []

    # The summary's link leads to the field; the commune is chosen with the arrows.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused_id(page) == "id_commune"
    page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_role("button", name="Envoyer mon message"))
    page.keyboard.press("Enter")

    page.wait_for_url("**/boite-a-idees/confirmation/")
    assert "Ce que vous avez envoyé" in page.locator("main").inner_text()
    submission = Submission.objects.get()
    assert (submission.kind, submission.commune) == ("report", Commune.objects.first())
    assert submission.photo  # the photo chosen before the error
    pending = Path(settings.MEDIA_ROOT) / "private" / KEPT_PHOTO_FOLDER
    assert not pending.exists() or not any(pending.iterdir())
    assert axe_violations(page) == []


def test_a_volunteering_request_sent_after_one_error_with_the_keyboard(
    live_server, page, axe_violations
):
    home = factories.make_site_home()
    directory = bf.association_directory(home)
    comite = bf.AssociationPageFactory(parent=directory, title="Comité des fêtes d'Andard")
    mission = bf.MissionPageFactory(parent=comite, title="Tenir la buvette", slug="buvette")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + mission.url)

    tab_to(page, page.get_by_label("Votre nom"))
    page.keyboard.type("Jeanne Dupuis")
    page.keyboard.press("Tab")
    page.keyboard.type("jeanne@example.org")
    # The consent is forgotten.
    tab_to(page, page.get_by_role("button", name="Envoyer ma demande"))
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")

    state = summary_state(page)
    assert state["focused"] and state["onScreen"]
    assert "acceptez" in state["text"]
    assert page.get_by_label("Votre nom").input_value() == "Jeanne Dupuis"  # kept
    assert axe_violations(page) == []

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused_id(page) == "id_consent"
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Envoyer ma demande"))
    page.keyboard.press("Enter")

    page.wait_for_url("**/buvette/merci/")
    main = page.locator("main").inner_text()
    assert "Ce que vous avez envoyé" in main
    assert "Jeanne Dupuis" in main
    assert VolunteerRequest.objects.get().mission_id == mission.pk
    assert axe_violations(page) == []
