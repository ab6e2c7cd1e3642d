"""French typography as a reader of the commune's site expects it: "lundi 1er
décembre 2026", "16 h 30", "de 14 h à 18 h", "du vendredi 11 au dimanche 13 décembre",
"0 étape", "janv. 2025" on the charts; and English formats under /en/."""

from datetime import date, time

from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from home import dates
from tests import factories
from tests.factories.actions import ActionPageFactory, action_plan, indicator, steps
from tests.factories.events import EventPageFactory, agenda, paris

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def text(html):
    return " ".join(BeautifulSoup(str(html), "html.parser").get_text().replace(NBSP, " ").split())


def test_the_first_of_the_month_is_1er_in_french_and_1_in_english():
    assert dates.day(date(2026, 12, 1)) == "mardi 1er décembre 2026"
    assert dates.day(date(2026, 12, 1), "j F Y") == "1er décembre 2026"
    assert dates.day(date(2026, 12, 2)) == "mercredi 2 décembre 2026"
    with translation.override("en"):
        assert dates.day(date(2026, 12, 1)) == "Tuesday 1 December 2026"


def test_times_are_written_16_h_30_in_french_and_4_30_pm_in_english():
    assert dates.hour(time(16)) == f"16{NBSP}h"
    assert dates.hour(time(16, 30)) == f"16{NBSP}h{NBSP}30"
    assert dates.hour(time(9, 5)) == f"9{NBSP}h{NBSP}05"
    with translation.override("en"):
        assert dates.hour(time(16)) == "4 p.m."
        assert dates.hour(time(16, 30)) == "4:30 p.m."


@pytest.mark.parametrize(
    ("start", "end", "all_day", "expected"),
    [
        (
            paris(2026, 12, 1, 14),
            paris(2026, 12, 1, 18),
            False,
            "mardi 1er décembre 2026, de 14 h à 18 h",
        ),
        (
            paris(2026, 12, 11, 20, 30),
            paris(2026, 12, 12, 0),
            False,
            "vendredi 11 décembre 2026, de 20 h 30 à minuit",
        ),
        (
            paris(2026, 12, 11),
            paris(2026, 12, 12),
            True,
            "vendredi 11 décembre 2026, toute la journée",
        ),
        (
            paris(2026, 12, 11),
            paris(2026, 12, 14),
            True,
            "du vendredi 11 au dimanche 13 décembre 2026",
        ),
        (
            paris(2026, 11, 30),
            paris(2026, 12, 1, 23, 59),
            True,
            "du lundi 30 novembre au mardi 1er décembre 2026",
        ),
        (
            paris(2026, 12, 31),
            paris(2027, 1, 2),
            True,
            "du jeudi 31 décembre 2026 au vendredi 1er janvier 2027",
        ),
        (
            paris(2026, 12, 11, 20),
            paris(2026, 12, 12, 2),
            False,
            "du vendredi 11 décembre à 20 h au samedi 12 décembre 2026 à 2 h",
        ),
    ],
)
def test_an_events_date_reads_as_a_french_sentence(start, end, all_day, expected):
    assert text(dates.when(start, end, all_day)) == expected


def test_an_events_date_in_english():
    with translation.override("en"):
        sentence = text(dates.when(paris(2026, 12, 1, 14), paris(2026, 12, 1, 18)))
        days = text(dates.when(paris(2026, 12, 11), paris(2026, 12, 14), all_day=True))
    assert sentence == "Tuesday 1 December 2026, from 2 p.m. to 6 p.m."
    assert days == "from Friday 11 to Sunday 13 December 2026"


def test_the_event_page_and_the_agenda_say_de_14_h_a_18_h(client, home):
    event = EventPageFactory(
        parent=agenda(home),
        title="Atelier vélo",
        occurrences=factories.events.dates(paris(2030, 10, 1, 14), hours=4),
    )
    page = text(client.get(event.url).text)
    assert "mardi 1er octobre 2030, de 14 h à 18 h" in page
    assert "14:00" not in page

    listing = BeautifulSoup(client.get(agenda(home).url).text, "html.parser")
    assert listing.select_one(".agenda-day__title").get_text(strip=True) == (
        "Mardi 1er octobre 2030"
    )
    assert text(listing.select_one(".agenda-item__when")) == "de 14 h à 18 h"
    # The machine-readable times stay with the words.
    assert listing.select_one(".agenda-item__when time")["datetime"].startswith(
        "2030-10-01T14:00:00"
    )


def test_a_multi_day_event_never_ends_at_00_00(client, home):
    event = EventPageFactory(
        parent=agenda(home),
        title="Week-end des associations",
        # From the first day to the last, as the editor types them.
        occurrences=factories.events.dates(paris(2030, 10, 11), hours=48, all_day=True),
    )
    page = text(client.get(event.url).text)
    assert "du vendredi 11 au dimanche 13 octobre 2030" in page
    assert "00:00" not in page and "0 h" not in page


def test_steps_are_counted_in_the_singular_for_0_and_1(client, home):
    none_done = ActionPageFactory(parent=action_plan(home), number=1, steps=steps("todo", "todo"))
    one_done = ActionPageFactory(parent=action_plan(home), number=2, steps=steps("done", "todo"))
    two_done = ActionPageFactory(parent=action_plan(home), number=3, steps=steps("done", "done"))

    assert "0 étape réalisée sur 2" in text(client.get(none_done.url).text)
    assert "1 étape réalisée sur 2" in text(client.get(one_done.url).text)
    assert "2 étapes réalisées sur 2" in text(client.get(two_done.url).text)
    plan = text(client.get(action_plan(home).url).text)
    # The card says it as the action's page does: "0/2 étape" reads as one step of two.
    assert "0 étape réalisée sur 2" in plan
    assert "1 étape réalisée sur 2" in plan
    assert "2 étapes réalisées sur 2" in plan
    assert "/2 étape" not in plan


def test_charts_name_the_months_in_french_and_the_table_says_1er(client, home):
    action = ActionPageFactory(
        parent=action_plan(home), number=1, indicators=[indicator(values=[3, 5, 8])]
    )
    html = client.get(action.url).text
    chart = BeautifulSoup(html, "html.parser").select_one(".indicator__chart")
    labels = [text(label) for label in chart.select(".indicator__label")]
    assert "janv. 2024" in labels
    assert "mars 2024" in labels
    assert "Jan 2024" not in html
    table = text(BeautifulSoup(html, "html.parser").select_one(".indicator__data table"))
    assert "1er janvier 2024" in table


def test_emails_write_dates_the_french_way(home):
    from django.template.loader import render_to_string

    occurrence = factories.events.dates(paris(2030, 10, 1, 16, 30))[0]
    body = render_to_string(
        "events/emails/ceremony_confirmed_body.txt",
        {
            "registration": type("Registration", (), {"name": "Claude", "guests": 1}),
            "ceremony": type("Ceremony", (), {"title": "Cérémonie de citoyenneté"}),
            "start": occurrence.local_start,
            "place": "Mairie d'Andard",
        },
    )
    assert f"mardi 1er octobre 2030 à 16{NBSP}h{NBSP}30" in body
