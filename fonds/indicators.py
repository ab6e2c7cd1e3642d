"""What the plan's indicators may count of the fund (plan action 19): applications
received and projects supported."""

from django.utils.translation import gettext_lazy as _

from actions.sources import IndicatorSource

from .models import Application


def measured_sources():
    decided = Application.objects.granted().filter(decided_at__isnull=False)
    return [
        IndicatorSource.counting(
            key="fonds.applications",
            label=_("Applications to the citizens' initiative fund"),
            queryset=Application.objects.all(),
            field="created_at",
            action=19,
        ),
        IndicatorSource.counting(
            key="fonds.granted",
            label=_("Projects supported by the citizens' initiative fund"),
            queryset=decided,
            field="decided_at",
            action=19,
        ),
    ]
