"""An editor gives an event its dates: weekly and monthly repetitions, computed again
when the page is saved and bounded, the local time kept across the change of time,
whole days; details that contradict each other are refused."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

import pytest

from events.models import MAX_OCCURRENCES, EventOccurrence, EventStatus, Repeat, repeated_days
from tests.factories.events import EventPageFactory, dates, in_days, paris, spring_change_day
from tests.factories.home import commune

pytestmark = pytest.mark.django_db


UTC = ZoneInfo("UTC")


def test_a_weekly_event_keeps_its_local_time_across_the_change_of_time(index):
    sunday = spring_change_day()
    saturday_before = sunday - timedelta(days=8)  # two Saturdays before the change
    event = EventPageFactory(
        parent=index,
        title="Atelier tricot",
        occurrences=dates(
            paris(saturday_before.year, saturday_before.month, saturday_before.day, 20)
        ),
        repeat=Repeat.WEEKLY,
        repeat_until=sunday + timedelta(days=14),
    )

    rows = list(event.occurrences.order_by("start"))

    assert len(rows) == 4
    assert [row.local_start.strftime("%H:%M") for row in rows] == ["20:00"] * 4
    assert [row.start.astimezone(UTC).hour for row in rows] == [19, 19, 18, 18]
    assert [row.generated for row in rows] == [False, True, True, True]
    assert all(row.local_end.strftime("%H:%M") == "22:00" for row in rows)


def test_repetition_is_computed_again_when_the_page_is_saved_and_stays_bounded(index):
    start = in_days(3)
    event = EventPageFactory(
        parent=index,
        occurrences=dates(start),
        repeat=Repeat.WEEKLY,
        repeat_until=(start + timedelta(weeks=5)).date(),
    )
    assert event.occurrences.count() == 6
    kept = set(event.occurrences.values_list("pk", flat=True))

    event.repeat_until = (start + timedelta(weeks=2)).date()
    event.save()
    assert event.occurrences.count() == 3
    # The dates that stay keep their rows (and so their calendar identity).
    assert set(event.occurrences.values_list("pk", flat=True)) <= kept

    event.repeat_until = (start + timedelta(weeks=1000)).date()
    event.save()
    assert event.occurrences.count() == MAX_OCCURRENCES


def test_monthly_repetitions_follow_the_calendar():
    # Every 31st: months without one are skipped.
    assert repeated_days(date(2027, 1, 31), Repeat.MONTHLY_DAY, date(2027, 5, 31)) == [
        date(2027, 3, 31),
        date(2027, 5, 31),
    ]
    # Every second Tuesday.
    assert repeated_days(date(2027, 1, 12), Repeat.MONTHLY_WEEKDAY, date(2027, 4, 30)) == [
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
    ]


def test_an_all_day_event_covers_whole_days(index):
    event = EventPageFactory(
        parent=index,
        occurrences=[EventOccurrence(start=in_days(10, 15), end=in_days(11, 9), all_day=True)],
    )
    row = event.occurrences.get()
    assert (row.local_start.hour, row.local_start.minute) == (0, 0)
    assert (row.local_end.hour, row.local_end.minute) == (23, 59)
    assert row.local_end.date() - row.local_start.date() == timedelta(days=1)


def test_the_page_refuses_inconsistent_details(index):
    event = EventPageFactory.build(
        title="Loto",
        slug="loto",
        commune=commune("baune"),
        place_name="Salle",
        repeat=Repeat.WEEKLY,
        is_free=False,
        status=EventStatus.CANCELLED,
        registration="lien",
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    for field in ["repeat_until", "price", "status_note", "registration_url"]:
        assert field in error.value.message_dict
    assert "Dites jusqu’à quel jour" in " ".join(error.value.message_dict["repeat_until"])

    row = EventOccurrence(page=event, start=in_days(2, 20), end=in_days(2, 18))
    with pytest.raises(ValidationError) as error:
        row.clean()
    assert "doit se terminer après" in str(error.value)
