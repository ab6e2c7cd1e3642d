from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from home.blocks import ChoiceBlock, DateBlock, DecimalBlock

from .sources import source_choices


class StepStatus:
    """The statuses of a step of an action, and of the action as a whole."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    POSTPONED = "postponed"
    ABANDONED = "abandoned"

    CHOICES = [
        (TODO, _("to come")),
        (IN_PROGRESS, _("in progress")),
        (DONE, _("done")),
        (POSTPONED, _("postponed")),
        (ABANDONED, _("abandoned")),
    ]


class StepBlock(blocks.StructBlock):
    """A step (modalité) of an action, as the plan lists it."""

    title = blocks.CharBlock(label=_("Step"), max_length=300)
    status = ChoiceBlock(label=_("Status"), choices=StepStatus.CHOICES, default=StepStatus.TODO)
    start_date = DateBlock(label=_("Start"), required=False)
    end_date = DateBlock(label=_("End"), required=False)
    note = blocks.TextBlock(label=_("Note"), required=False, default="", max_length=1000)

    class Meta:
        icon = "list-ol"
        label = _("Step")
        template = "actions/blocks/step_block.html"
        description = _("A step of the action, with its status and dates.")
        preview_value = {"title": "Définir le rôle de cette commission", "status": "done"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["status_label"] = dict(StepStatus.CHOICES).get(value["status"], "")
        return context

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("start_date"), value.get("end_date")
        if start and end and end < start:
            raise blocks.StructBlockValidationError(
                block_errors={"end_date": _("A step cannot end before it starts.")}
            )
        return value


class MeasurementBlock(blocks.StructBlock):
    date = DateBlock(label=_("Date"))
    value = DecimalBlock(label=_("Value"), decimal_places=2, max_digits=12)
    comment = blocks.CharBlock(label=_("Comment"), required=False, default="", max_length=300)

    class Meta:
        icon = "date"
        label = _("Measurement")


class IndicatorBlock(blocks.StructBlock):
    """An indicator (indicateur de suivi) with its dated measurements."""

    name = blocks.CharBlock(label=_("Indicator"), max_length=300)
    unit = blocks.CharBlock(
        label=_("Unit"),
        required=False,
        default="",
        max_length=40,
        help_text=_("For example: participants, meetings, %."),
    )
    target = DecimalBlock(label=_("Target"), required=False, decimal_places=2, max_digits=12)
    measurements = blocks.ListBlock(MeasurementBlock(), label=_("Measurements"), default=[])
    source = blocks.ChoiceBlock(
        label=_("Automatic source"),
        choices=source_choices,
        required=False,
        help_text=_(
            "Optional: what the site counts itself for this indicator. Its figure is "
            "added each month as a computed measurement, beside those typed here."
        ),
    )

    class Meta:
        icon = "clipboard-list"
        label = _("Indicator")
        description = _("A follow-up indicator, drawn as a chart with its data table.")
