"""What the plan's indicators may count of volunteering (plan action 17): the
requests volunteers sent and the hours they gave."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from actions.sources import IndicatorSource

from .models import VolunteerHours, VolunteerRequest


def measured_sources():
    return [
        IndicatorSource.counting(
            key="benevolat.requests",
            label=_("Volunteer requests received"),
            queryset=VolunteerRequest.objects.all(),
            field="created_at",
            action=17,
        ),
        # Only the hours the communication team checked: the plan's figures are public.
        IndicatorSource(
            key="benevolat.hours",
            label=_("Hours of volunteering validated"),
            measure=lambda month: (
                VolunteerHours.objects.filter(
                    validated_at__isnull=False,
                    date__gte=month.first_day,
                    date__lt=month.next_first_day,
                ).aggregate(total=Sum("hours"))["total"]
                or Decimal(0)
            ),
            first_record=lambda: (
                VolunteerHours.objects.filter(validated_at__isnull=False)
                .order_by("date")
                .values_list("date", flat=True)
                .first()
            ),
            action=17,
        ),
    ]
