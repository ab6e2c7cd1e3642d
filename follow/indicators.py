"""What the plan's indicators may count of following by email (plan action 29, the
citizens' digital tool that tells the commune's life): the subscriptions confirmed
each month, to an action, the agenda, an association or the plan."""

from django.utils.translation import gettext_lazy as _

from actions.sources import IndicatorSource

from .models import Subscription


def measured_sources():
    return [
        IndicatorSource.counting(
            key="follow.confirmed",
            # A month's figure is stored by the monthly run: an unsubscription
            # later (the row is deleted) does not change it.
            label=_("Confirmed subscriptions to the email alerts"),
            queryset=Subscription.objects.confirmed(),
            field="confirmed_at",
            action=29,
        ),
    ]
