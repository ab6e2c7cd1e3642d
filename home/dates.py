"""Dates and times as a French reader expects them — "lundi 1er décembre 2026",
"16 h 30", "de 14 h à 18 h", "du vendredi 11 au dimanche 13 décembre 2026" — and as
an English reader expects them on /en/ ("Monday 1 December 2026", "4:30 p.m.").
Django's formats cannot say "1er" nor leave out ":00", hence these few functions,
used by the templates' filters (home/templatetags/typography.py), the emails and
the models that write a date in a sentence."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext

NBSP = "\u00a0"


def _french():
    return (get_language() or "fr").startswith("fr")


def day(value, format="l j F Y"):
    """A date in the reader's language with a Django format: in French, the first
    of the month is "1er" ("lundi 1er décembre 2026")."""
    if value is None or value == "":
        return ""
    if _french() and value.day == 1:
        # "1" is no format character; "e" and "r" are, hence the escapes.
        format = format.replace("j", "1\\e\\r")
    return date_format(value, format)


def hour(value):
    """A time of day: "16 h", "16 h 30" in French, "4 p.m.", "4:30 p.m." in English."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.time()
    if _french():
        text = f"{value.hour}{NBSP}h"
        return f"{text}{NBSP}{value.minute:02d}" if value.minute else text
    return date_format(value, "P")


def month_abbreviation(value):
    """A month in a few letters, for the charts' axes: "janv. 2025", "Jan 2025"."""
    names = [
        pgettext("abbreviated month", "Jan"),
        pgettext("abbreviated month", "Feb"),
        pgettext("abbreviated month", "Mar"),
        pgettext("abbreviated month", "Apr"),
        pgettext("abbreviated month", "May"),
        pgettext("abbreviated month", "Jun"),
        pgettext("abbreviated month", "Jul"),
        pgettext("abbreviated month", "Aug"),
        pgettext("abbreviated month", "Sep"),
        pgettext("abbreviated month", "Oct"),
        pgettext("abbreviated month", "Nov"),
        pgettext("abbreviated month", "Dec"),
    ]
    return f"{names[value.month - 1]}{NBSP}{value.year}"


def _time_tag(value, text):
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


def _date_tag(value, text):
    return format_html('<time datetime="{}">{}</time>', value.strftime("%Y-%m-%d"), text)


def _end_hour(start, end):
    """The end's time; an end at midnight the next day is "minuit", not "0 h"."""
    if end.time() == time(0) and end.date() == start.date() + timedelta(days=1):
        return pgettext("end of an event", "midnight")
    return hour(end)


def _last_day(start, end, all_day):
    """The last day the event takes place on: one ending at midnight ends the day
    before (an all-day event stored up to 00:00 the next day is not on that day)."""
    if end.time() == time(0) and end.date() > start.date():
        return end.date() - timedelta(days=1)
    return end.date()


def day_range(first, last):
    """Two days, with what they share said once: "du vendredi 11 au dimanche 13
    décembre 2026", "du lundi 30 novembre au mardi 1er décembre 2026"."""
    if first.year != last.year:
        start_format = "l j F Y"
    elif first.month != last.month:
        start_format = "l j F"
    else:
        start_format = "l j"
    return format_html(
        pgettext("two days", "from {start} to {end}"),
        start=_date_tag(first, day(first, start_format)),
        end=_date_tag(last, day(last)),
    )


def when(start, end, all_day=False, show_day=True):
    """An event's date in a sentence, as HTML with machine-readable <time>s:
    "lundi 1er décembre 2026, de 14 h à 18 h", "de 14 h à 18 h" (under a heading that
    says the day, `show_day=False`), "du vendredi 11 au dimanche 13 décembre 2026",
    "vendredi 11 décembre 2026, toute la journée"."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    last = _last_day(start, end, all_day)
    if last > start.date():
        if all_day:
            return day_range(start.date(), last)
        return format_html(
            gettext("from {start_day} at {start} to {end_day} at {end}"),
            start_day=_date_tag(start, day(start, "l j F")),
            start=_time_tag(start, hour(start)),
            end_day=_date_tag(end, day(end)),
            end=_time_tag(end, hour(end)),
        )
    if all_day:
        times = gettext("all day")
    elif end <= start:
        times = format_html(gettext("at {start}"), start=_time_tag(start, hour(start)))
    else:
        times = format_html(
            pgettext("two times", "from {start} to {end}"),
            start=_time_tag(start, hour(start)),
            end=_time_tag(end, _end_hour(start, end)),
        )
    if not show_day:
        return mark_safe(times)  # noqa: S308 - built with format_html
    return format_html(gettext("{day}, {times}"), day=_date_tag(start, day(start)), times=times)
