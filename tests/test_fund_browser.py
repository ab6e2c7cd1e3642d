"""The fund's page, its form in error and success states, the applicant's tracking
page and the gallery, in Chromium, checked by axe-core (no serious or critical
violation), on a phone-sized screen and a desktop one."""

import re

import pytest

from fonds.models import Application
from home.models import Commune
from tests import factories
from tests.factories import fonds as ff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def fund(db):
    home = factories.make_site_home()
    page = ff.fund_page(
        home,
        committee_meetings=[
            ("meeting", {"date": "2099-03-12", "apply_by": "2099-02-20", "note": ""})
        ],
    )
    ff.granted(2025, "180", partners=[ff.PartnerFactory(name="Jardinerie de l'Authion")])
    return page


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_applies_from_a_phone_and_follows_the_application(
    live_server, page, fund, axe_violations
):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + fund.url)
    assert page.get_by_role("heading", name="Calendrier du comité").is_visible()
    assert axe_violations(page) == []
    assert fits(page)

    # Sent empty: the errors are listed in French, and the page stays accessible.
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.get_by_text("Le formulaire contient des erreurs").is_visible()
    assert page.locator("#form-errors").get_attribute("role") == "alert"
    assert axe_violations(page) == []
    assert fits(page)

    page.get_by_label("Titre du projet").fill("Des graines pour les pieds de murs")
    page.get_by_label("Votre projet").fill("Semer des fleurs rue des Écoles avec les voisins.")
    page.get_by_label("Commune déléguée où il a lieu").select_option(label="Andard")
    page.get_by_label("Un collectif d'habitants").check()
    page.get_by_label("Matériel dont vous avez besoin (facultatif)").fill("Terreau")
    page.get_by_label("Votre nom").fill("Martine Dupuis")
    page.get_by_label("Votre adresse électronique").fill("martine@example.org")
    page.get_by_label("J'accepte que la commune conserve cette demande").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url(re.compile(r"/confirmation/$"))
    application = Application.objects.get(title="Des graines pour les pieds de murs")
    assert page.get_by_text(application.reference).first.is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile("Suivre votre demande")).click()
    page.wait_for_url(re.compile(r"/suivi/"))
    assert page.get_by_text("reçue").first.is_visible()
    assert axe_violations(page) == []
    assert fits(page)
    assert application.commune == Commune.objects.get(slug="andard")


def test_the_tracking_page_with_a_request_and_the_gallery_are_accessible(
    live_server, page, fund, axe_violations
):
    application = ff.ApplicationFactory(
        fund_page=fund,
        status=Application.Status.INFO_REQUESTED,
        info_request="Combien de voisins participent ?",
    )
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + fund.url + f"suivi/{application.tracking_token}/")
        assert page.get_by_text("Combien de voisins participent ?").is_visible()
        assert page.get_by_label("Votre réponse").is_visible()
        assert axe_violations(page) == []
        assert fits(page)

        page.goto(live_server.url + fund.url + "projets-soutenus/")
        assert page.get_by_role("table").is_visible()
        assert page.get_by_text("Des fleurs au pied des murs").is_visible()
        assert axe_violations(page) == []
        assert fits(page)
