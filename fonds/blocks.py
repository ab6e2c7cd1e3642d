from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class CommitteeMeetingBlock(blocks.StructBlock):
    """A meeting of the fund's committee, and the last day to apply for it."""

    date = blocks.DateBlock(label=_("Committee meeting"))
    apply_by = blocks.DateBlock(
        label=_("Applications until"),
        required=False,
        help_text=_("The last day an application can reach this meeting."),
    )
    note = blocks.CharBlock(label=_("Note"), required=False, default="", max_length=200)

    class Meta:
        icon = "date"
        label = _("Committee meeting")
        template = "fonds/blocks/committee_meeting.html"
        description = _("A meeting of the committee that decides on the applications.")
        preview_value = {"date": "2026-03-12", "apply_by": "2026-02-20", "note": ""}
