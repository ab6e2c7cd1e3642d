"""Automatic sources of the plan's indicators: figures the site counts from its own
records (messages received, volunteer requests, fund applications…).

`actions` imports none of the apps that hold those records. Each app registers its
sources under the `indicator_sources` Wagtail hook, in its `wagtail_hooks.py`, as a
function returning a list of `IndicatorSource`. The team ties an indicator of an
action to a source in the page editor; the monthly `compute_indicators` command
stores each source's figure for each month as a `ComputedMeasurement`, which the
action's chart, table and open data show beside the measurements typed by hand.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise

from wagtail import hooks


@dataclass(frozen=True)
class Month:
    """A calendar month in the site's time zone: `start` and `end` are aware
    datetimes (end excluded), `first_day` and `next_first_day` the same as dates."""

    first_day: datetime.date

    @classmethod
    def of(cls, day):
        return cls(day.replace(day=1))

    @classmethod
    def parse(cls, text):
        """A month from "AAAA-MM"; ValueError otherwise."""
        year, month = text.split("-")
        return cls(datetime.date(int(year), int(month), 1))

    @property
    def next_first_day(self):
        return (self.first_day + datetime.timedelta(days=32)).replace(day=1)

    def next(self):
        return Month(self.next_first_day)

    @property
    def start(self):
        return timezone.make_aware(datetime.datetime.combine(self.first_day, datetime.time()))

    @property
    def end(self):
        return timezone.make_aware(datetime.datetime.combine(self.next_first_day, datetime.time()))

    def __str__(self):
        return self.first_day.strftime("%Y-%m")


@dataclass(frozen=True)
class IndicatorSource:
    """A figure the site counts each month.

    `measure(month)` returns the figure for a `Month`; `first_record()` the date
    (or datetime) of the oldest record it counts, or None, from which the first run
    fills in the past months."""

    key: str
    label: Promise
    measure: Callable[[Month], int | Decimal]
    first_record: Callable[[], datetime.date | datetime.datetime | None]
    action: int | None = None  # the plan's action it serves, said in its label

    @classmethod
    def counting(cls, key, label, queryset, field, action=None):
        """The rows of `queryset` whose `field` (a datetime) falls in the month: the
        shape of most sources."""
        return cls(
            key=key,
            label=label,
            measure=lambda month: queryset.filter(
                **{f"{field}__gte": month.start, f"{field}__lt": month.end}
            ).count(),
            first_record=lambda: queryset.order_by(field).values_list(field, flat=True).first(),
            action=action,
        )

    def display(self):
        if self.action:
            return f"{self.label} (action {self.action})"
        return str(self.label)


def registered_sources():
    """{key: IndicatorSource} of every source the apps registered."""
    sources = {}
    for register in hooks.get_hooks("indicator_sources"):
        for source in register():
            sources[source.key] = source
    return sources


def source_choices():
    """The choices of an indicator's source in the page editor."""
    return sorted(
        ((key, source.display()) for key, source in registered_sources().items()),
        key=lambda choice: choice[1],
    )


def first_month(value):
    """The month of a first record, a date or an aware datetime (in the site's zone)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return Month.of(value)
