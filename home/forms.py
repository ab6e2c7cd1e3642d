"""What every public form of the site shares: a honeypot, a rate limit per
address, the consent to the stated use of the data, and one way of handling a
submission (`handle_public_form`), with one status code for each kind of refusal."""

import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .locales import content_language
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


class BoundedModelChoiceField(forms.ModelChoiceField):
    """Django's, refusing an id past 64 bits as an invalid choice, as PostgreSQL does
    (no row has it). SQLite, the development database, raises OverflowError instead,
    which would be a 500 for a typed address or a forged form."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class PageSelect(forms.Select):
    """A choice of pages by their titles (the plan's actions, the associations): on
    the English site they are French until the team translates them, and marked so
    (RGAA 8.7)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and getattr(value, "instance", None) is not None:
            language = content_language(value.instance)
            if language != get_language():
                option["attrs"]["lang"] = language
        return option


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


def rate_limit_exceeded(request, scope, limit=None, period=None, setting="PUBLIC_FORM_RATE_LIMIT"):
    """Count one submission of `scope` from this address; True once the address has
    sent more than `limit` in `period` seconds (by default, the `setting`'s)."""
    default_limit, default_period = getattr(settings, setting)
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


@dataclass(frozen=True)
class Refusal:
    """Why a form was not stored, as the citizen reads it at the top of the form,
    with the one status code the whole site answers for that kind of refusal."""

    kind: str
    message: str

    # A form whose subject no longer takes submissions (a ceremony that took place,
    # a full or closed mission, a form past its date): the request conflicts with
    # the state of the page, whoever sends it.
    CLOSED = "closed"
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    INVALID = "invalid"

    STATUS = {CLOSED: 409, RATE_LIMITED: 429, TOO_LARGE: 413, INVALID: 400}

    @property
    def status(self):
        return self.STATUS[self.kind]

    @property
    def closes_form(self):
        """The form is not offered at all (there is nothing to correct and resend)."""
        return self.kind == self.CLOSED


def posted_token(request):
    try:
        return uuid.UUID(request.POST.get("form_token", ""))
    except ValueError:
        return None


def handle_public_form(
    request,
    *,
    make_form,
    save,
    thanks,
    render,
    scope,
    closed="",
    max_body_size=None,
    too_large_message="",
):
    """Every form a citizen sends goes through these steps, in this order:

    1. closed: a form whose subject takes no more submissions is refused (409);
    2. the one-time token: a form already stored (double click, retried request)
       gets the thank-you page again, and nothing is stored twice;
    3. the rate limit per address (429): every attempt counts, valid or not,
       toward PUBLIC_FORM_ATTEMPT_LIMIT, before any work is done on the form;
    4. validation, French errors summarised at the top of the form (400);
    5. a valid form counts toward PUBLIC_FORM_RATE_LIMIT (429), then is stored
       once, its emails queued in the same transaction (`save(form)`);
    6. the thank-you page: `thanks`, an address (303) or `thanks(stored)`, a response.

    `make_form(data=None, files=None)` builds the form; `render(form, refusal,
    status)` answers with the page, showing the `Refusal` (or None) above the form.
    """
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    refusal = Refusal(Refusal.CLOSED, closed) if closed else None
    if request.method != "POST":
        return render(None if refusal else make_form(), refusal, 200)
    if refusal:
        return render(None, refusal, refusal.status)
    if max_body_size is not None and _body_size(request) > max_body_size:
        # Refused whole, before the upload is read (the web server's body size
        # limit, see README, keeps most of it from being received at all).
        refusal = Refusal(Refusal.TOO_LARGE, too_large_message)
        return render(make_form(), refusal, refusal.status)
    if SubmissionToken.used(posted_token(request)):
        return _thanks(thanks, None)
    form = make_form(request.POST, request.FILES)
    rate_limited = Refusal(Refusal.RATE_LIMITED, RATE_LIMIT_MESSAGE)
    if rate_limit_exceeded(request, f"{scope}:attempts", setting="PUBLIC_FORM_ATTEMPT_LIMIT"):
        return render(form, rate_limited, rate_limited.status)
    if not form.is_valid():
        # The errors are the message: the summary lists them, each linked to its field.
        return render(form, None, Refusal.STATUS[Refusal.INVALID])
    if rate_limit_exceeded(request, scope):
        return render(form, rate_limited, rate_limited.status)
    stored = []
    store_once(form, lambda: stored.append(save(form)))
    return _thanks(thanks, stored[0] if stored else None)


def _body_size(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return float("inf")


def _thanks(thanks, stored):
    if callable(thanks):
        return thanks(stored)
    return HttpResponseRedirect(thanks, status=303)
