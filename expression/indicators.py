"""What the plan's indicators may count of citizens' messages (plan action 5):
messages received, of every kind and of each, and questions answered."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actions.sources import IndicatorSource

from .models import Submission


def received(kind=None):
    messages = Submission.objects.all() if kind is None else Submission.objects.filter(kind=kind)
    return IndicatorSource.counting(
        key="expression.messages" + (f".{kind}" if kind else ""),
        label=_("Messages received through the idea box")
        if kind is None
        else format_lazy(_("Messages received: {kind}"), kind=Submission.Kind(kind).label),
        queryset=messages,
        field="created_at",
        action=5,
    )


def measured_sources():
    answered = Submission.objects.filter(answered_at__isnull=False)
    return [
        received(),
        *(received(kind) for kind in Submission.Kind.values),
        IndicatorSource.counting(
            key="expression.answered",
            label=_("Citizens' messages answered by email"),
            queryset=answered,
            field="answered_at",
            action=5,
        ),
    ]
