"""A citizen opens an event that will not take place as announced: a cancelled
event's date is struck through and offers nothing to add to a calendar; a postponed
one shows its former date struck through and its new date, to add to a calendar, or,
while the new date is unknown, its old dates struck through. Screen readers hear
"Ancienne date :" before a struck date, since they do not announce the striking."""

import json
import re

from django.core.exceptions import ValidationError

import pytest

from events.models import EventStatus
from home.dates import day as date_format  # "1er" on the first of the month
from tests.factories.events import EventPageFactory, dates, in_days

pytestmark = pytest.mark.django_db

ICS_LINK = "Ajouter à mon agenda"


def when(html):
    """The "Quand" entry of the event's facts."""
    return html.split("<dt>Quand</dt>", 1)[1].split("<dt>", 1)[0]


def test_a_cancelled_event_strikes_its_date_and_offers_no_calendar(client, index):
    event = EventPageFactory(
        parent=index,
        title="Marché de Noël",
        occurrences=dates(in_days(10, 10)),
        status=EventStatus.CANCELLED,
        status_note="Tempête annoncée.",
    )

    html = client.get(event.url).text

    day = date_format(in_days(10, 10))
    # The day is inside its machine-readable <time>.
    assert re.search(
        rf'<del><span class="visually-hidden">Ancienne date : </span><time datetime="[^"]+">{day}',
        html,
    )
    assert "Cet événement est annulé." in when(html)
    assert ICS_LINK not in html
    assert "Tempête annoncée." in html
    agenda = client.get(index.url).text
    assert '<del><span class="visually-hidden">Ancienne date : </span>' in agenda


def test_a_postponed_event_shows_its_former_date_struck_and_its_new_date(client, index):
    new_start = in_days(40, 15)
    event = EventPageFactory(
        parent=index,
        title="Thé dansant",
        occurrences=dates(new_start),
        status=EventStatus.POSTPONED,
        status_note="La salle était en travaux.",
        former_date=in_days(5).date(),
    )

    html = client.get(event.url).text

    facts = when(html)
    former = date_format(in_days(5).date())
    assert f'<del><span class="visually-hidden">Ancienne date : </span>{former}</del>' in facts
    assert "Nouvelle date :" in facts
    new_day = date_format(new_start)
    assert new_day in facts.split("</del>", 1)[1]  # the new date is not struck
    assert ICS_LINK in facts
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == in_days(5).date().isoformat()


def test_a_postponed_event_without_its_new_date_strikes_the_old_one(client, index):
    event = EventPageFactory(
        parent=index,
        title="Loto",
        occurrences=dates(in_days(8)),
        status=EventStatus.POSTPONED,
        status_note="Reporté au printemps.",
    )

    facts = when(client.get(event.url).text)

    assert '<del><span class="visually-hidden">Ancienne date : </span>' in facts
    assert "La nouvelle date sera annoncée ici." in facts
    assert ICS_LINK not in facts


def test_a_former_date_is_for_a_postponed_event_only(index):
    event = EventPageFactory(parent=index, occurrences=dates(in_days(8)))
    event.former_date = in_days(2).date()
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "former_date" in error.value.message_dict
