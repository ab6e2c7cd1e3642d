"""Revision comparisons that read as the editor wrote: a choice by its label ("fait",
not "done"), a date or a number in French, an empty value as nothing. Wagtail shows
the stored value of a field and of a StreamField's blocks: codes, ISO dates and
"None". Registered for the model fields in wagtail_hooks.py; the blocks of
blocks.py name their comparison themselves."""

from django.db import models
from django.utils import formats
from django.utils.html import escape
from django.utils.translation import gettext

from wagtail.admin.compare import BlockComparison, FieldComparison, TextDiff


def readable(value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(formats.localize(value))


def changes(text_a, text_b):
    """The HTML of a change from text_a to text_b, one removed and one added (an
    empty side is left out, not shown as a blank)."""
    if text_a == text_b:
        return escape(text_a)
    diff = [("deletion", text_a)] if text_a else []
    diff += [("addition", text_b)] if text_b else []
    return TextDiff(diff, separator=" → ").to_html()


class ReadableFieldComparison(FieldComparison):
    """A date, number or yes/no field of a page or snippet."""

    def htmldiff(self):
        return changes(readable(self.val_a), readable(self.val_b))


class ReadableBlockComparison(BlockComparison):
    """A choice, date or number block inside a StreamField (see blocks.py)."""

    def text(self, value):
        return self.block.readable(value)

    def htmlvalue(self, val):
        return escape(self.text(val))

    def htmldiff(self):
        return changes(self.text(self.val_a), self.text(self.val_b))


READABLE_FIELDS = [models.DateField, models.DecimalField, models.IntegerField, models.BooleanField]
