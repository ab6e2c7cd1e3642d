"""What the agenda and the event pages keep between publications (issue 16): the
number and page of dates, each date's HTML, an event's commune, category, dates and
actions. Made with the page cache out of the way (a visitor with a session), each
publication shows at once."""

from django.conf import settings

import pytest

from events.models import EventStatus
from tests.factories import actions, events

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached(client):
    """A visitor the page cache never answers: what the page keeps is what shows."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    return client


def test_the_agenda_shows_a_published_change_of_a_date_at_once(uncached, home):
    agenda = events.agenda(home)
    event = events.EventPageFactory(parent=agenda, title="Réunion publique")
    assert "Salle des fêtes" in uncached.get(agenda.url).text

    event.place_name = "Salle Jeanne-d'Arc"
    event.status = EventStatus.CANCELLED
    event.status_note = "Reportée au printemps"
    event.save_revision().publish()

    page = uncached.get(agenda.url).text
    assert "Salle Jeanne-d&#x27;Arc" in page
    assert "agenda-item--cancelled" in page


def test_the_agenda_counts_a_newly_published_event_at_once(uncached, home):
    agenda = events.agenda(home)
    events.EventPageFactory(parent=agenda, title="Réunion publique")
    assert "1 date à venir" in uncached.get(agenda.url).text
    assert "1 date à venir" in uncached.get(agenda.url + "?commune=corne").text

    events.EventPageFactory(parent=agenda, title="Fête de la Loire").save_revision().publish()

    page = uncached.get(agenda.url).text
    assert "2 dates à venir" in page
    assert "Fête de la Loire" in page
    assert "2 dates à venir" in uncached.get(agenda.url + "?commune=corne").text


def test_an_event_page_shows_its_published_category_and_actions_at_once(uncached, home):
    agenda = events.agenda(home)
    plan = actions.action_plan(home)
    action = actions.ActionPageFactory(parent=plan, title="Ouvrir un jardin partagé")
    event = events.EventPageFactory(parent=agenda, title="Réunion publique")
    page = uncached.get(event.url).text
    assert "Ouvrir un jardin partagé" not in page

    event.category = events.EventCategoryFactory(name="Nature et jardins")
    event.related_actions.set([action])
    event.save_revision().publish()

    page = uncached.get(event.url).text
    assert "Nature et jardins" in page
    assert "Ouvrir un jardin partagé" in page
