"""What the plan's indicators may count of the agenda: the events associations
posted (plan action 18) and the sign-ups to citizen ceremonies (plan action 31)."""

from django.utils.translation import gettext_lazy as _

from actions.sources import IndicatorSource

from .models import CeremonyRegistration, EventPage


def _association_events():
    # An event's translations share its key: it is counted once.
    return EventPage.objects.filter(association__isnull=False, first_published_at__isnull=False)


def measured_sources():
    return [
        IndicatorSource(
            key="events.association_events",
            label=_("Events posted by associations"),
            measure=lambda month: (
                _association_events()
                .filter(first_published_at__gte=month.start, first_published_at__lt=month.end)
                .values("translation_key")
                .distinct()
                .count()
            ),
            first_record=lambda: (
                _association_events()
                .order_by("first_published_at")
                .values_list("first_published_at", flat=True)
                .first()
            ),
            action=18,
        ),
        IndicatorSource.counting(
            key="events.ceremony_registrations",
            label=_("Sign-ups and nominations to citizen ceremonies"),
            queryset=CeremonyRegistration.objects.all(),
            field="created_at",
            action=31,
        ),
    ]
