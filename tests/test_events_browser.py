"""The agenda, an event page and a ceremony with its form, in Chromium, checked by
axe-core (no serious or critical violation), on a phone-sized screen."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from events.models import CeremonyKind, CeremonyRegistration, EventStatus, Repeat
from home.models import Commune
from tests import factories
from tests.factories.benevolat import AssociationPageFactory, association_directory
from tests.factories.events import (
    CeremonyPageFactory,
    EventCategoryFactory,
    EventPageFactory,
    agenda,
    dates,
    paris,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def in_days(days, hour=20):
    day = timezone.localdate() + timedelta(days=days)
    return paris(day.year, day.month, day.day, hour)


@pytest.fixture
def agenda_pages(db):
    home = factories.make_site_home()
    index = agenda(home)
    club = AssociationPageFactory(parent=association_directory(home), title="Chorale de Corné")
    concert = EventCategoryFactory(name="Concert", slug="concert")
    event = EventPageFactory(
        parent=club,
        title="Concert de la chorale",
        slug="concert-chorale",
        commune=Commune.objects.get(slug="corne"),
        category=concert,
        occurrences=dates(in_days(3)),
        repeat=Repeat.WEEKLY,
        repeat_until=in_days(30).date(),
        accessibility="Salle de plain-pied, boucle magnétique.",
    )
    EventPageFactory(
        parent=index,
        title="Randonnée des bords de Loire",
        commune=Commune.objects.get(slug="saint-mathurin-sur-loire"),
        status=EventStatus.CANCELLED,
        status_note="Crue de la Loire.",
        occurrences=dates(in_days(5, 9)),
    )
    ceremony = CeremonyPageFactory(
        parent=index,
        title="Cérémonie de citoyenneté",
        slug="citoyennete",
        kind=CeremonyKind.CITIZENSHIP,
        occurrences=dates(in_days(20, 11)),
        programme="<p>Accueil, remise des cartes d’électeur, verre de l’amitié.</p>",
    )
    return index, event, ceremony


def test_a_citizen_filters_the_agenda_to_her_commune(
    live_server, page, agenda_pages, axe_violations
):
    index, _, _ = agenda_pages
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + index.url)
    assert axe_violations(page) == []
    assert page.get_by_text("Randonnée des bords de Loire").is_visible()

    # On a phone the filters wait behind a button, so that the dates come first.
    commune = page.get_by_label("Commune déléguée")
    assert not commune.is_visible()
    page.locator("summary", has_text="Filtrer les événements").click()
    commune.select_option(label="Corné")
    page.get_by_role("button", name="Afficher ces événements").click()
    page.wait_for_url("**?*commune=corne*")

    assert page.locator(".agenda-item").count() == 4
    assert page.get_by_text("Randonnée des bords de Loire").count() == 0
    ics = page.get_by_role("link", name="Calendrier (iCalendar, .ics)")
    assert "commune=corne" in ics.get_attribute("href")
    assert axe_violations(page) == []

    page.goto(live_server.url + index.url + "archives/")
    assert axe_violations(page) == []


def test_an_event_page_is_accessible(live_server, page, agenda_pages, axe_violations):
    _, event, _ = agenda_pages
    page.goto(live_server.url + event.url)
    assert page.locator("h1").inner_text().startswith("Concert de la chorale")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert page.get_by_role("link", name="Ajouter à mon agenda (.ics)").is_visible()
    assert axe_violations(page) == []


def test_a_young_adult_signs_up_to_a_ceremony(live_server, page, agenda_pages, axe_violations):
    _, _, ceremony = agenda_pages
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + ceremony.url)
    assert axe_violations(page) == []

    # Sent empty: the errors are listed in French, and the page stays accessible.
    page.get_by_role("button", name="Envoyer").click()
    assert page.locator(".form-errors").is_visible()
    assert page.get_by_text("Le formulaire contient des erreurs").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Vos prénom et nom").fill("Léa Martin")
    page.get_by_label("Votre adresse électronique").fill("lea@example.org")
    page.get_by_label("Date de naissance").fill("2008-04-02")
    page.get_by_label("J’accepte que la commune").check()
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(re.compile(r"/citoyennete/merci/"))
    assert page.get_by_text("Merci, votre message a bien été reçu").is_visible()
    assert axe_violations(page) == []
    assert CeremonyRegistration.objects.get().name == "Léa Martin"
