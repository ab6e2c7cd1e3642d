from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class ReadableInComparisons:
    """A field block that revision comparisons show as the editor reads it (see
    compare.py), not by its stored value."""

    def get_comparison_class(self):
        from .compare import ReadableBlockComparison  # the admin's module, loaded late

        return ReadableBlockComparison

    def readable(self, value):
        from .compare import readable

        return readable(value)


class ChoiceBlock(ReadableInComparisons, blocks.ChoiceBlock):
    def readable(self, value):
        labels = {str(choice): label for choice, label in self.field.choices}
        return str(labels.get(value, value)) if value else ""


class DateBlock(ReadableInComparisons, blocks.DateBlock):
    pass


class DecimalBlock(ReadableInComparisons, blocks.DecimalBlock):
    pass


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=150)
    level = ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (h2)")), ("h3", _("Subheading (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        description = _("A section heading, to give the page its structure.")
        preview_value = {"text": "Le projet citoyen de territoire", "level": "h2"}


class FigureBlock(blocks.StructBlock):
    # ImageBlock carries the alternative text (or the "decorative" choice) the
    # RGAA asks for; the caption is optional.
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, default="", max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/figure_block.html"
        description = _("An image with its alternative text and an optional caption.")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"), max_length=1000)
    attribution = blocks.CharBlock(
        label=_("Author or source"), required=False, default="", max_length=150
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote_block.html"
        description = _("A highlighted quote, with its author.")
        preview_value = {
            "quote": "Il s'agit d'un dialogue, malgré la distance.",
            "attribution": "Plan d'actions, action 5",
        }


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Heading"), max_length=150)
    text = blocks.TextBlock(label=_("Text"), required=False, default="", max_length=500)
    page = blocks.PageChooserBlock(label=_("Page of the site"), required=False)
    url = blocks.URLBlock(label=_("or external address"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "blocks/call_to_action_block.html"
        description = _("A box that invites people to act: take part, sign up, give their opinion.")
        preview_value = {
            "title": "Donnez votre avis",
            "text": "La boîte à idées est ouverte à toutes et à tous.",
            "url": "https://www.loire-authion.fr/",
            "button_label": "Je participe",
        }

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": _("Choose a page or give an address.")}
            )
        return value


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        default="",
        max_length=150,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document to download")
        template = "blocks/document_link_block.html"
        description = _("A link to a document, with its format and size.")


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description=_("Formatted text: paragraphs, lists, links."),
    )
    image = FigureBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
