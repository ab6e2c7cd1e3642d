"""The register of processings of personal data (RGPD, article 30).

Each model that holds personal data declares its processing in a `personal_data`
class attribute (a `Processing`) next to the methods that apply it:
`purge_personal_data(now)` (the daily cron), `personal_data_of(email)` and
`erase_personal_data(email)` (the admin's export and erasure). The retention a
processing states is the very value its purge uses, so the page that lists them
cannot drift from what the site does.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Processing:
    """One processing, as the personal data page tells it to citizens."""

    name: Promise
    data: Promise  # what is kept
    purpose: Promise
    legal_basis: Promise
    recipients: Promise  # who sees it
    retention: timedelta | None = None  # None: `retention_note` says it all
    retention_note: Promise = ""
    order: int = 0

    def retention_display(self):
        if self.retention is None:
            return ""
        return duration_display(self.retention)


def duration_display(duration):
    days = duration.days
    if days == 0:  # a lockout's minutes or hours
        minutes = int(duration.total_seconds() // 60)
        if minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


CONSENT = _("Consent (article 6.1.a of the GDPR), given by ticking the form's box")
PUBLIC_TASK = _("Public interest task of the commune (article 6.1.e of the GDPR)")


def processing_models():
    """The models that declare a processing, in the order the page lists them."""
    found = [model for model in apps.get_models() if hasattr(model, "personal_data")]
    return sorted(found, key=lambda model: model.personal_data.order)


def processings():
    return [model.personal_data for model in processing_models()]


def email_pattern(email):
    """The address as a whole word, any case: "bob@x.fr" is not in "jimbob@x.fr"."""
    return re.compile(rf"(?<![\w.+-]){re.escape(email.strip())}(?![\w-])", re.IGNORECASE)


def mentions(text, email):
    return bool(email_pattern(email).search(text or ""))


def email_hash(email):
    """How the audit log names a person without keeping their address in clear."""
    return salted_hmac("personal-data-request", email.strip().lower()).hexdigest()[:16]


def row_data(row):
    """Every column of the row (dates and other non-editable ones included); a file
    by its name."""
    data = {}
    for field in row._meta.concrete_fields:
        value = field.value_from_object(row)
        if isinstance(field, models.FileField):
            value = value.name or ""
        data[field.attname] = value
    return data


def held_about(email):
    """[(processing, model, rows)] for every processing, rows being what it holds
    about `email` (case-insensitive)."""
    return [
        (model.personal_data, model, list(model.personal_data_of(email)))
        for model in processing_models()
    ]


def export(email):
    """Everything held about `email`, as a JSON-ready dict."""
    return {
        "email": email,
        "processings": [
            {
                "processing": str(processing.name),
                "rows": [row_data(row) for row in rows],
            }
            for processing, _model, rows in held_about(email)
        ],
    }


ENCODER = DjangoJSONEncoder


@transaction.atomic
def erase(email):
    """Delete or anonymise every row tied to `email`, all or nothing. Returns
    {processing name: count}."""
    counts = {}
    for model in processing_models():
        counts[str(model.personal_data.name)] = model.erase_personal_data(email)
    return counts
