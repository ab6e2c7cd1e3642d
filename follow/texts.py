"""What moved in an action, told in the language the email is written in: the
lines are lazy, rendered when the email's template is (under its language)."""

from datetime import date

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actions.blocks import StepStatus
from home.dates import day as format_day

lazy_date = lazy(lambda value: format_day(value, "j F Y"), str)


def status_label(status):
    return dict(StepStatus.CHOICES).get(status, status or "—")


def in_language_of(changes, page):
    """`changes` with the step titles and indicator names `page` (a translation of
    the action) gives them, found by block id; the source's words where it has none."""
    names = {
        block.id: block.value.get("title") for block in page.steps if block.block_type == "step"
    }
    names.update({block.id: block.value.get("name") for block in page.indicators})
    translated = []
    for change in changes:
        name = names.get(change.get("id"))
        if name and change["kind"] == "step":
            change = {**change, "title": name}
        elif name and change["kind"] == "measurement":
            change = {**change, "indicator": name}
        translated.append(change)
    return translated


def change_lines(changes):
    lines = []
    for change in changes:
        if change["kind"] == "status":
            lines.append(
                format_lazy(
                    _("Its status is now “{new}” (it was “{old}”)."),
                    new=status_label(change["new"]),
                    old=status_label(change["old"]),
                )
            )
        elif change["kind"] == "step":
            lines.append(format_lazy(_("Step done: {title}."), title=change["title"]))
        elif change["kind"] == "measurement":
            lines.append(
                format_lazy(
                    _("New measurement of “{indicator}”: {value} {unit} on {date}."),
                    indicator=change["indicator"],
                    value=change["value"].rstrip("0").rstrip(".")
                    if "." in change["value"]
                    else change["value"],
                    unit=change["unit"],
                    date=lazy_date(date.fromisoformat(change["date"])),
                )
            )
    return lines
