"""Factories of the agenda: the agenda page, events with their dates, ceremonies."""

from datetime import date, datetime, timedelta

from django.utils import timezone

import factory
import wagtail_factories

from events.models import (
    PARIS,
    CeremonyKind,
    CeremonyPage,
    EventCategory,
    EventIndexPage,
    EventOccurrence,
    EventPage,
)
from home.models import Commune
from tests.factories.home import french

from .benevolat import AssociationPageFactory, association_directory


def paris(year, month, day, hour=0, minute=0):
    """An aware datetime, local time in Loire-Authion."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def dates(*starts, hours=2, all_day=False):
    """Unsaved occurrences starting at `starts` (aware datetimes), lasting `hours`."""
    return [
        EventOccurrence(start=start, end=start + timedelta(hours=hours), all_day=all_day)
        for start in starts
    ]


def next_week_evening():
    day = timezone.localdate() + timedelta(days=7)
    return paris(day.year, day.month, day.day, 20)


def in_days(days, hour=20, minute=0):
    day = timezone.localdate() + timedelta(days=days)
    return paris(day.year, day.month, day.day, hour, minute)


def spring_change_day():
    """The next night the clocks go forward in France: the last Sunday of March."""
    today = timezone.localdate()
    year = today.year if today < date(today.year, 3, 20) else today.year + 1
    day = date(year, 3, 31)
    while day.weekday() != 6:
        day -= timedelta(days=1)
    return day


class EventCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventCategory
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")
    locale = factory.LazyFunction(french)


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Agenda"
    slug = "agenda"


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Événement {n}")
    intro = "Un rendez-vous de Loire-Authion."
    place_name = "Salle des fêtes"
    address = "1 place de la Mairie"
    commune = factory.LazyFunction(lambda: Commune.objects.get(slug="corne"))
    occurrences = factory.LazyFunction(lambda: dates(next_week_evening()))


class CeremonyPageFactory(EventPageFactory):
    class Meta:
        model = CeremonyPage

    title = factory.Sequence(lambda n: f"Cérémonie {n}")
    kind = CeremonyKind.CITIZENSHIP
    place_name = "Mairie d'Andard"
    commune = factory.LazyFunction(lambda: Commune.objects.get(slug="andard"))


def agenda(home):
    return EventIndexPage.objects.child_of(home).first() or EventIndexPageFactory(parent=home)


def association_event(home):
    association = AssociationPageFactory(parent=association_directory(home))
    return EventPageFactory(parent=association)


PAGE_FACTORIES = {
    EventIndexPage: agenda,
    EventPage: lambda home: EventPageFactory(parent=agenda(home)),
    CeremonyPage: lambda home: CeremonyPageFactory(parent=agenda(home)),
}
