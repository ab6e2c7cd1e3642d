"""The recurrence engine: the dates a repeated event takes place on, in the commune's
local time (an event at 20:00 stays at 20:00 across the change of time)."""

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")
# A repeated event never expands into more rows than this, whatever its end date.
MAX_OCCURRENCES = 104


class Repeat(models.TextChoices):
    NONE = "", _("Not repeated")
    WEEKLY = "hebdomadaire", _("Every week")
    MONTHLY_DAY = "mensuel-date", _("Every month, on the same date")
    MONTHLY_WEEKDAY = "mensuel-jour", _("Every month, on the same weekday (e.g. 2nd Tuesday)")


def nth_weekday(year, month, weekday, nth):
    """The `nth` (1–5) `weekday` of the month, or None when the month has no such day."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    return days[nth - 1] if nth <= len(days) else None


def repeated_days(first_day, repeat, until):
    """The days after `first_day` on which a repeated event takes place, up to `until`."""
    days = []
    if repeat == Repeat.WEEKLY:
        day = first_day + timedelta(days=7)
        while day <= until and len(days) < MAX_OCCURRENCES - 1:
            days.append(day)
            day += timedelta(days=7)
        return days
    nth = (first_day.day - 1) // 7 + 1
    year, month = first_day.year, first_day.month
    while len(days) < MAX_OCCURRENCES - 1:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        if date(year, month, 1) > until:
            break
        if repeat == Repeat.MONTHLY_DAY:
            # A 31st is skipped in the months that have none, as calendars do.
            if first_day.day > calendar.monthrange(year, month)[1]:
                continue
            day = date(year, month, first_day.day)
        else:
            day = nth_weekday(year, month, first_day.weekday(), nth)
            if day is None:
                continue
        if day <= until:
            days.append(day)
    return days


def repeated_times(start, end, repeat, until):
    """(start, end) of each repetition of a date running from the local times `start`
    to `end`: the same wall-clock times on every repeated day."""
    for day in repeated_days(start.date(), repeat, until):
        new_start = datetime.combine(day, start.time(), tzinfo=PARIS)
        new_end = datetime.combine(day + (end.date() - start.date()), end.time(), PARIS)
        yield new_start, new_end


def whole_days(local_start, local_end):
    """An all-day event runs from midnight to the end of its last day."""
    return (
        datetime.combine(local_start.date(), time.min, PARIS),
        datetime.combine(local_end.date(), time(23, 59), PARIS),
    )
