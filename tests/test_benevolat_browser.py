"""A citizen finds an association and volunteers, in Chromium, with axe-core's
accessibility checks on every page of the way (including the form's error state)."""

import pytest

from bénévolat.models import VolunteerRequest
from home.models import Commune
from tests import factories
from tests.factories import benevolat as bf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def volunteering(db):
    home = factories.make_site_home()
    directory = bf.association_directory(home)
    listing = bf.missions_listing(home)
    andard = Commune.objects.get(slug="andard")
    field = bf.ActivityFieldFactory(name="Animation locale", slug="animation")
    comite = bf.AssociationPageFactory(
        parent=directory,
        title="Comité des fêtes d'Andard",
        slug="comite-des-fetes",
        looking_for_volunteers=True,
        phone="02 41 00 00 01",
        website="https://comite.example.org",
        meeting_place="Salle des fêtes",
        meeting_times="Le premier lundi du mois",
    )
    comite.communes.set([andard])
    comite.fields.set([field])
    comite.save_revision().publish()
    bf.AssociationPageFactory(parent=directory, title="Tennis club de Corné")
    mission = bf.MissionPageFactory(
        parent=comite,
        title="Tenir la buvette du marché de Noël",
        slug="buvette",
        commune=andard,
        suits_families=True,
    )
    bf.MissionPageFactory(parent=listing, title="Colis du CCAS", structure="ccas")
    return directory, listing, comite, mission


def test_a_citizen_finds_an_association_and_volunteers(
    live_server, page, volunteering, axe_violations
):
    directory, listing, comite, mission = volunteering
    page.set_viewport_size({"width": 375, "height": 800})

    # The directory, filtered without JavaScript (a plain GET form).
    page.goto(live_server.url + directory.url)
    assert axe_violations(page) == []
    page.get_by_label("Commune déléguée").select_option("andard")
    page.get_by_label("Cherche des bénévoles").check()
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/associations/?*commune=andard*")
    assert page.get_by_role("link", name="Tennis club de Corné").count() == 0
    page.get_by_role("link", name="Comité des fêtes d'Andard").click()

    # The association's page lists its open mission.
    page.wait_for_url("**/comite-des-fetes/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Tenir la buvette du marché de Noël").click()

    # The form, sent without consent: the errors are announced and linked.
    page.wait_for_url("**/buvette/")
    assert axe_violations(page) == []
    page.get_by_label("Votre nom").fill("Jeanne Dupuis")
    page.get_by_label("Votre adresse électronique").fill("jeanne@example.org")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_selector("#form-errors")
    assert page.title().startswith("Erreur")
    assert "Pour envoyer ce formulaire, acceptez" in page.locator("#form-errors").inner_text()
    assert axe_violations(page) == []
    assert VolunteerRequest.objects.count() == 0

    # Corrected, it goes through and says what happens next.
    page.get_by_label("J'accepte que la commune").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/buvette/merci/")
    assert "vous contactera" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert VolunteerRequest.objects.get().mission_id == mission.pk

    # The missions listing, and the general offer form.
    page.goto(live_server.url + listing.url + "?familles=1")
    assert page.get_by_role("link", name="Colis du CCAS").count() == 0
    assert axe_violations(page) == []
    page.get_by_role("link", name="Proposer mon aide").click()
    page.wait_for_url("**/proposer-mon-aide/")
    assert axe_violations(page) == []
