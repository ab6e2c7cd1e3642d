"""French typography in templates: `{% load typography %}`, then
`{{ date|day }}` ("lundi 1er décembre 2026"), `{{ date|day:"j F Y" }}`,
`{{ datetime|hour }}` ("16 h 30"), `{{ date|short_month }}` ("janv. 2025") and
`{{ occurrence|when }}` for an event's date (home/dates.py)."""

from django import template

from home import dates

register = template.Library()


@register.filter
def day(value, format="l j F Y"):
    return dates.day(value, format)


@register.filter
def hour(value):
    return dates.hour(value)


@register.filter
def short_month(value):
    return dates.month_abbreviation(value)


@register.filter
def when(occurrence, show_day=True):
    """Anything with `start`, `end` and `all_day` (an event's date)."""
    return dates.when(occurrence.start, occurrence.end, occurrence.all_day, show_day=show_day)
