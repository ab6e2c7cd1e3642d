"""What every public form of the site shares: a honeypot, a rate limit per
address and the consent to the stated use of the data."""

import uuid

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import DuplicateSubmission, SubmissionToken

HONEYPOT_FIELD = "website"


class PublicFormMixin(forms.Form):
    """Mix into every form a citizen submits.

    The honeypot is a field people never see (hidden by CSS and from screen readers)
    but robots fill in; a filled honeypot is refused like any invalid input.
    """

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # A new token each time the form is shown: a second POST carrying the same one
    # (double click, retried request) is the same form, stored once (`store_once`).
    form_token = forms.UUIDField(
        label="", required=False, initial=uuid.uuid4, widget=forms.HiddenInput
    )

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                _("Your message looks automated and was not sent."), code="honeypot"
            )
        return ""


def consent_field(purpose_text):
    """The required consent checkbox; `purpose_text` says what is kept and for how long."""
    return forms.BooleanField(
        label=purpose_text,
        required=True,
        error_messages={
            "required": _("Please accept the use of your data described here to send this form.")
        },
    )


def client_address(request):
    """The visitor's address. Behind NUM_PROXIES trusted reverse proxies, the
    address they saw is taken from X-Forwarded-For (never a value the client set)."""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def rate_limit_exceeded(request, scope, limit=None, period=None):
    """Count one submission of `scope` from this address; True once the address has
    sent more than `limit` in `period` seconds (settings PUBLIC_FORM_RATE_LIMIT)."""
    default_limit, default_period = settings.PUBLIC_FORM_RATE_LIMIT
    limit = limit or default_limit
    period = period or default_period
    key = f"rate-limit:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count > limit


RATE_LIMIT_MESSAGE = _(
    "You have sent many forms in a short time. Please wait a while before trying again."
)

# Not answers: never stored with a form page's answers nor sent in its emails.
NOT_ANSWERS = {HONEYPOT_FIELD, "consent", "form_token"}


def already_stored(form):
    """True when this form's token was stored already (a resent form)."""
    return SubmissionToken.used(form.cleaned_data.get("form_token"))


def store_once(form, save):
    """Run `save()` in one transaction with the form's token; returns False, having
    stored nothing, when the same form was stored meanwhile."""
    try:
        with transaction.atomic():
            SubmissionToken.claim(form.cleaned_data.get("form_token"))
            save()
    except DuplicateSubmission:
        return False
    return True
