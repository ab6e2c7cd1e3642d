from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.models import SharingMixin


class AssociationIndexPage(SharingMixin, Page):
    """The directory of the commune's associations (plan action 21)."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("intro"),
        SynchronizedField("slug"),
        SynchronizedField("social_image"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["benevolat.AssociationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("association directory")
        verbose_name_plural = _("association directories")


class AssociationPage(SharingMixin, Page):
    """An association of Loire-Authion, edited by its own members (under moderation)."""

    presentation = RichTextField(
        _("presentation"), features=["bold", "italic", "link", "ul", "ol"], blank=True
    )
    communes = ParentalManyToManyField(
        "home.Commune", verbose_name=_("communes déléguées"), blank=True, related_name="+"
    )

    content_panels = [*Page.content_panels, FieldPanel("presentation"), FieldPanel("communes")]
    search_fields = [*Page.search_fields, index.SearchField("presentation")]
    translatable_fields = [
        SynchronizedField("title"),  # an association's name is not translated
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("presentation"),
        SynchronizedField("slug"),
        SynchronizedField("communes"),
        SynchronizedField("social_image"),
    ]
    parent_page_types = ["benevolat.AssociationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
