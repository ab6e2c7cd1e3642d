"""What the plan's indicators may count of the fund (plan action 19): applications
received and projects supported."""

from django.utils.translation import gettext_lazy as _

from actions.sources import IndicatorSource

from .models import Application


def measured_sources():
    decided = Application.objects.granted().filter(decided_at__isnull=False)
    return [
        IndicatorSource(
            key="fonds.applications",
            label=_("Applications to the fonds d'initiative citoyenne"),
            measure=lambda month: Application.objects.filter(
                created_at__gte=month.start, created_at__lt=month.end
            ).count(),
            first_record=lambda: (
                Application.objects.order_by("created_at")
                .values_list("created_at", flat=True)
                .first()
            ),
            action=19,
        ),
        IndicatorSource(
            key="fonds.granted",
            label=_("Projects supported by the fonds d'initiative citoyenne"),
            measure=lambda month: decided.filter(
                decided_at__gte=month.start, decided_at__lt=month.end
            ).count(),
            first_record=lambda: (
                decided.order_by("decided_at").values_list("decided_at", flat=True).first()
            ),
            action=19,
        ),
    ]
