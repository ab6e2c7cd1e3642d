"""What the plan's indicators may count of volunteering (plan action 17): the
requests volunteers sent and the hours they gave."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from actions.sources import IndicatorSource

from .models import VolunteerHours, VolunteerRequest


def measured_sources():
    return [
        IndicatorSource(
            key="benevolat.requests",
            label=_("Volunteer requests received"),
            measure=lambda month: VolunteerRequest.objects.filter(
                created_at__gte=month.start, created_at__lt=month.end
            ).count(),
            first_record=lambda: (
                VolunteerRequest.objects.order_by("created_at")
                .values_list("created_at", flat=True)
                .first()
            ),
            action=17,
        ),
        IndicatorSource(
            key="benevolat.hours",
            label=_("Hours of volunteering recorded"),
            measure=lambda month: (
                VolunteerHours.objects.filter(
                    date__gte=month.first_day, date__lt=month.next_first_day
                ).aggregate(total=Sum("hours"))["total"]
                or Decimal(0)
            ),
            first_record=lambda: (
                VolunteerHours.objects.order_by("date").values_list("date", flat=True).first()
            ),
            action=17,
        ),
    ]
