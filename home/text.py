"""Every text the project's models store, normalised once at the model boundary:
Unicode NFC, and no control characters. A control character has no meaning in a
title or a message, and some break what the site produces from them: XML (the RSS
feed) refuses U+000B outright. Normalised in `pre_save`, so that the admin, the
public forms, the API, the translations and the imports all go through it; bulk
`update()` and `bulk_create()` bypass signals, and must normalise their values
themselves (with `normalise`)."""

import re
import unicodedata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save

# The other line and page breaks (vertical tab, form feed, the separators
# str.splitlines() honours) become a space or a new line, not glued words.
BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
# Every other control character (Unicode category Cc), tab and newline aside.
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def normalise(text, multiline=True):
    """`text` in NFC without control characters; a single line unless `multiline`
    (tabs and line breaks then become spaces)."""
    if not isinstance(text, str):
        return text
    text = unicodedata.normalize("NFC", text)
    text = CONTROLS.sub("", text)
    if multiline:
        text = BREAKS.sub(lambda match: " " if match.group() in "\x0b\x0c" else "\n", text)
    else:
        text = BREAKS.sub(" ", text).replace("\n", " ").replace("\t", " ")
    return text


def normalise_instance(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures load what was dumped, as it was
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            cleaned = normalise(value, multiline=isinstance(field, models.TextField))
            if cleaned != value:
                setattr(instance, field.attname, cleaned)


def project_models():
    """The models of the project's own apps (pages included), not of its libraries."""
    return [
        model
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
        for model in config.get_models()
    ]


def connect_normalisation():
    for model in project_models():
        pre_save.connect(
            normalise_instance, sender=model, dispatch_uid=f"normalise-{model._meta.label}"
        )
