"""The agenda's models, one module per domain; everything is importable from
`events.models` as it was before the split."""

from ..recurrence import MAX_OCCURRENCES, PARIS, Repeat, nth_weekday, repeated_days
from .agenda import (
    EVENTS_PER_PAGE,
    FEED_MAX_ITEMS,
    FEED_PAST_DAYS,
    EventIndexPage,
    EventPage,
    agenda_for_locale,
    home_highlight,
)
from .ceremonies import CEREMONY_FORM_TITLES, CeremonyKind, CeremonyPage, CeremonyRegistration
from .occurrences import EventOccurrence, occurrences_for_listing, public_occurrences
from .vocabulary import (
    ICAL_STATUS,
    Audience,
    EventCategory,
    EventStatus,
    MunicipalService,
    Registration,
)

__all__ = [
    "CEREMONY_FORM_TITLES",
    "EVENTS_PER_PAGE",
    "FEED_MAX_ITEMS",
    "FEED_PAST_DAYS",
    "ICAL_STATUS",
    "MAX_OCCURRENCES",
    "PARIS",
    "Audience",
    "CeremonyKind",
    "CeremonyPage",
    "CeremonyRegistration",
    "EventCategory",
    "EventIndexPage",
    "EventOccurrence",
    "EventPage",
    "EventStatus",
    "MunicipalService",
    "Registration",
    "Repeat",
    "agenda_for_locale",
    "home_highlight",
    "nth_weekday",
    "occurrences_for_listing",
    "public_occurrences",
    "repeated_days",
]
