"""Indicators the site measures itself: each app registers what it counts (actions
never imports them), the team ties an indicator to one of these sources, and the
monthly `compute_indicators` command stores the month's figure, marked computed,
beside the measurements typed by hand, in the chart, the table and the open data."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from actions.models import ComputedMeasurement
from actions.sources import Month, registered_sources, source_choices
from events.models import CeremonyRegistration, EventPage
from expression.models import Submission
from follow.models import Subscription, Target
from fonds.models import Application
from tests.factories import actions as af
from tests.factories import benevolat as bf
from tests.factories import events as ef
from tests.factories import expression as xf
from tests.factories import fonds as ff
from tests.factories.events import paris

pytestmark = pytest.mark.django_db

MARCH = "2026-03"
BEFORE = paris(2026, 2, 28, 23, 30)  # still February in Loire-Authion (22:30 UTC)
INSIDE = [paris(2026, 3, 1, 0, 10), paris(2026, 3, 15, 12), paris(2026, 3, 31, 23, 50)]
AFTER = paris(2026, 4, 1, 0, 5)  # already April (31 March 22:05 UTC)


def at(model, row, **moments):
    model.objects.filter(pk=row.pk).update(**moments)


def hand_built_march(home):
    """What happened in March 2026 on the site, with a record just before and just
    after the month for each source."""
    for moment, kind in zip(INSIDE, ["idea", "idea", "question"], strict=True):
        at(Submission, xf.SubmissionFactory(kind=kind), created_at=moment)
    for moment in (BEFORE, AFTER):
        at(Submission, xf.SubmissionFactory(kind="idea"), created_at=moment)
    at(Submission, xf.SubmissionFactory(), created_at=BEFORE, answered_at=INSIDE[1])
    at(Submission, xf.SubmissionFactory(), created_at=BEFORE, answered_at=AFTER)

    mission = bf.association_mission(home)
    for moment in [*INSIDE[:2], BEFORE, AFTER]:
        at(bf.VolunteerRequest, bf.VolunteerRequestFactory(mission=mission), created_at=moment)
    for day, hours in [
        (date(2026, 3, 1), "2.5"),
        (date(2026, 3, 31), "3"),
        (date(2026, 4, 1), "4"),
    ]:
        bf.VolunteerHoursFactory(mission=mission, date=day, hours=Decimal(hours), validated=True)
    # Hours the team has not checked yet count nowhere.
    bf.VolunteerHoursFactory(mission=mission, date=date(2026, 3, 2), hours=Decimal("10"))

    association = bf.association(home)
    for moment in [INSIDE[0], INSIDE[2], AFTER]:
        at(EventPage, ef.EventPageFactory(parent=association), first_published_at=moment)
    # The commune's own event is not an association's.
    at(EventPage, ef.EventPageFactory(parent=ef.agenda(home)), first_published_at=INSIDE[1])

    ceremony = ef.CeremonyPageFactory(parent=ef.agenda(home))
    for moment in [INSIDE[1], BEFORE]:
        sign_up = CeremonyRegistration.objects.create(
            ceremony=ceremony, name="Léa", email="lea@example.org", reason="Nouvelle habitante"
        )
        at(CeremonyRegistration, sign_up, created_at=moment)

    for moment in [*INSIDE, AFTER]:
        ff.ApplicationFactory(created_at=moment)
    granted = ff.granted(2026, "200")
    at(Application, granted, decided_at=INSIDE[2])
    late = ff.granted(2026, "200")
    at(Application, late, decided_at=AFTER)

    # Following by email: subscriptions confirmed in March, whenever they were asked
    # for; one confirmed in April and one never confirmed are not.
    plan = af.action_plan(home)
    for number, confirmed_at in enumerate([INSIDE[0], INSIDE[2], AFTER, None]):
        Subscription.objects.create(
            email=f"abonne{number}@example.org",
            page=plan,
            target=Target.PLAN,
            created_at=BEFORE,
            confirmed_at=confirmed_at,
        )


EXPECTED_MARCH = {
    "expression.messages": 3,  # the two answered in March and April were sent in February
    "expression.messages.idea": 2,
    "expression.messages.question": 1,
    "expression.messages.report": 0,
    "expression.answered": 1,
    "benevolat.requests": 2,
    "benevolat.hours": Decimal("5.5"),
    "events.association_events": 2,
    "events.ceremony_registrations": 1,
    "fonds.applications": 3,
    "fonds.granted": 1,
    "follow.confirmed": 2,
}


def test_each_registered_source_is_counted_for_a_hand_built_month(home):
    hand_built_march(home)
    sources = registered_sources()
    # At least five of the plan's indicators, from five apps actions does not import.
    assert set(EXPECTED_MARCH) <= set(sources)
    assert {key.split(".")[0] for key in sources} == {
        "expression",
        "benevolat",
        "events",
        "fonds",
        "follow",
    }

    call_command("compute_indicators", month=MARCH, stdout=StringIO())

    figures = dict(
        ComputedMeasurement.objects.filter(month=date(2026, 3, 1)).values_list("source", "value")
    )
    assert set(figures) == set(sources)  # every source measured, zero included
    for key, expected in EXPECTED_MARCH.items():
        assert figures[key] == expected, key
    # Each source also measures alone, as the command does.
    assert sources["fonds.granted"].measure(Month(date(2026, 4, 1))) == 1


def test_the_first_run_backfills_the_past_months_and_a_second_run_writes_nothing(home):
    today = timezone.localdate()
    this_month = Month.of(today)
    three_months_ago = Month.of(this_month.first_day - timedelta(days=80))
    at(Submission, xf.SubmissionFactory(kind="idea"), created_at=three_months_ago.start)
    at(Submission, xf.SubmissionFactory(kind="idea"), created_at=this_month.start)
    at(Application, ff.ApplicationFactory(), created_at=three_months_ago.next().start)

    out = StringIO()
    call_command("compute_indicators", stdout=out)

    ideas = dict(
        ComputedMeasurement.objects.filter(source="expression.messages.idea").values_list(
            "month", "value"
        )
    )
    # From the first record's month to the month just ended; the current one waits.
    expected_months = []
    month = three_months_ago
    while month.first_day < this_month.first_day:
        expected_months.append(month.first_day)
        month = month.next()
    assert sorted(ideas) == expected_months
    assert ideas[three_months_ago.first_day] == 1
    assert all(ideas[day] == 0 for day in expected_months[1:])
    applications = ComputedMeasurement.objects.filter(source="fonds.applications")
    assert applications.first().month == three_months_ago.next().first_day
    # A source with no record yet has nothing to fill in.
    assert not ComputedMeasurement.objects.filter(source="events.ceremony_registrations").exists()

    before = list(
        ComputedMeasurement.objects.order_by("pk").values_list("source", "month", "value")
    )
    again = StringIO()
    call_command("compute_indicators", stdout=again)
    assert "0 figure(s) written" in again.getvalue()
    after = list(ComputedMeasurement.objects.order_by("pk").values_list("source", "month", "value"))
    assert after == before


def test_a_month_measured_is_kept_when_its_records_are_purged_and_can_be_recomputed(home):
    message = xf.SubmissionFactory(kind="idea")
    at(Submission, message, created_at=INSIDE[1])
    call_command("compute_indicators", stdout=StringIO())
    assert (
        ComputedMeasurement.objects.get(
            source="expression.messages.idea", month=date(2026, 3, 1)
        ).value
        == 1
    )
    Submission.objects.all().delete()  # purged three years later
    call_command("compute_indicators", stdout=StringIO())
    assert (
        ComputedMeasurement.objects.get(
            source="expression.messages.idea", month=date(2026, 3, 1)
        ).value
        == 1
    )
    # Asked for explicitly, the month is measured again and replaced, not doubled.
    call_command("compute_indicators", month=MARCH, stdout=StringIO())
    rows = ComputedMeasurement.objects.filter(
        source="expression.messages.idea", month=date(2026, 3, 1)
    )
    assert [row.value for row in rows] == [0]


def test_a_month_that_is_not_one_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("compute_indicators", month="mars", stdout=StringIO())


def test_the_team_ties_an_indicator_to_a_source_in_the_page_editor():
    choices = dict(source_choices())
    assert "Demandes au fonds d'initiative citoyenne (action 19)" in choices.values()
    assert choices["benevolat.hours"] == "Heures de bénévolat validées (action 17)"
    assert choices["follow.confirmed"] == (
        "Abonnements confirmés aux alertes par courriel (action 29)"
    )


@pytest.fixture
def measured_action(home):
    """Action 5 with one indicator tied to the idea box's messages: two typed
    measurements and three computed months."""
    plan = af.action_plan(home)
    typed = af.indicator(name="Messages reçus", unit="messages", values=[])[1]
    typed["measurements"] = [
        {"date": "2025-12-15", "value": 40, "comment": "Comptage manuel"},
        {"date": "2026-01-15", "value": 42, "comment": ""},
    ]
    typed["source"] = "expression.messages"
    action = af.ActionPageFactory(parent=plan, number=5, indicators=[("indicator", typed)])
    action.save_revision().publish()
    for month, value in [(1, 11), (2, 13), (3, 17)]:
        ComputedMeasurement.objects.create(
            source="expression.messages", month=date(2026, month, 1), value=value
        )
    # Another source's figures are not this indicator's.
    ComputedMeasurement.objects.create(source="benevolat.hours", month=date(2026, 1, 1), value=99)
    return plan, action


def test_the_action_page_shows_computed_and_typed_measurements_apart(client, measured_action):
    plan, action = measured_action
    html = client.get(action.url).text
    chart = html.split('<svg class="indicator__chart"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("indicator__point--computed") == 3
    assert chart.count("<circle") == 2
    assert "compté chaque mois par le site (Messages reçus par la boîte à idées)" in html
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    assert table.count("Calculée par le site") == 3
    assert table.count("Saisie par l") == 2
    assert "Comptage manuel" in table
    assert "99" not in table
    # In date order, the typed December first, the computed March last.
    assert table.index("15 décembre 2025") < table.index("janvier 2026") < table.index("mars 2026")


def test_the_open_data_says_which_measurement_is_computed(client, measured_action):
    plan, action = measured_action
    response = client.get(plan.url + "donnees/indicateurs/csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["date"], row["valeur"], row["origine"], row["source"]) for row in rows] == [
        ("2025-12-15", "40", "saisie", ""),
        ("2026-01-01", "11.00", "calculee", "expression.messages"),
        ("2026-01-15", "42", "saisie", ""),
        ("2026-02-01", "13.00", "calculee", "expression.messages"),
        ("2026-03-01", "17.00", "calculee", "expression.messages"),
    ]
    assert {row["numero"] for row in rows} == {"5"}

    data = json.loads(client.get(plan.url + "donnees/indicateurs/json/").content)
    assert data["colonnes"][:3] == ["numero", "action", "indicateur"]
    origins = [measure["origine"] for measure in data["mesures"]]
    assert origins == ["saisie", "calculee", "saisie", "calculee", "calculee"]
    assert "calculee" in data["description"]
    # The plan's page links to them.
    plan_html = client.get(plan.url).text
    assert "donnees/indicateurs/csv/" in plan_html and "donnees/indicateurs/json/" in plan_html
