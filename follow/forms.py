from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from home.forms import PublicFormMixin, consent_field

from .models import UNCONFIRMED_RETENTION


class SubscriptionForm(PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = consent_field(
        format_lazy(
            _(
                "I agree that the commune keeps my address to send me these emails, until I "
                "unsubscribe (a link in every email); unconfirmed, it is deleted after {days} days."
            ),
            days=UNCONFIRMED_RETENTION.days,
        )
    )
