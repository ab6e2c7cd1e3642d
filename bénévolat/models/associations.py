"""Associations: the directory page, each association's page (edited by its own
members, see accounts.py) and the fields of activity they share with missions."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.icons import PictogramField
from home.locales import in_default_locale
from home.models import SharingMixin
from home.near_me import communes
from home.page_cache import cached_until_published, page_tag

from ..admin_forms import AssociationPageAdminForm
from ..cards import Cards, filtered_pks

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]
DIRECTORY_PAGE_SIZE = 12


class ActivityField(TranslatableMixin, models.Model):
    """A field of activity (sport, culture, solidarity…): editable by the
    communication team as a snippet, shared by associations and missions. Pages point
    at the French field; its English copy (wagtail-localize) names it in English."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)
    pictogram = PictogramField(default="users")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("pictogram"),
        FieldPanel("sort_order"),
    ]
    # Only the name is the translator's: the slug stays the French one, the filters'
    # one vocabulary of addresses (README), and the pictogram and order with it.
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        SynchronizedField("pictogram"),
        SynchronizedField("sort_order"),
    ]

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add a field of activity")
    admin_empty_message = _("No field of activity yet.")

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        ordering = ["sort_order", "name"]
        # A translation keeps its field's slug: the directory's and the missions'
        # filters read the same address in both languages.
        constraints = [
            models.UniqueConstraint(
                fields=["name", "locale"], name="unique_activity_field_name_per_locale"
            ),
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_activity_field_slug_per_locale"
            ),
        ]

    def __str__(self):
        return self.name


def is_checked(request, name):
    return request.GET.get(name) in {"1", "on", "oui"}


def choice_by_slug(queryset, slug):
    """The object of `queryset` with this slug, or None (an unknown filter value is
    ignored rather than an error: links get old)."""
    # PostgreSQL refuses NUL bytes in text: such a value matches nothing anyway.
    if not slug or "\x00" in slug:
        return None
    if isinstance(queryset, list):  # a list kept in memory (activity_fields())
        return next((obj for obj in queryset if obj.slug == slug[:80]), None)
    return queryset.filter(slug=slug[:80]).first()


def activity_fields():
    """The fields of activity, in their order, read once per generation (a change of
    one has no tag: it turns the generation over). The French rows, which pages point
    at: a filter finds the same pages in both languages, and shows each field's
    translation (`localized`)."""
    return cached_until_published(
        "benevolat-activity-fields",
        lambda: list(in_default_locale(ActivityField.objects.all())),
    )


class AssociationIndexPage(SharingMixin, Page):
    """The directory of the commune's associations (plan action 21)."""

    # The query parameters it reads: the page cache keys it by these alone.
    query_parameters = {"q", "domaine", "commune", "benevoles", "page"}
    # What it lists, for the page cache: a published association forgets it.
    cache_tags = ("associations",)

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["benevolat.AssociationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("association directory")
        verbose_name_plural = _("association directories")

    def association_filters(self, request):
        """The filters the GET form asks for."""
        return {
            "q": request.GET.get("q", "").replace("\x00", "").strip()[:100],
            "field": choice_by_slug(activity_fields(), request.GET.get("domaine")),
            "commune": choice_by_slug(communes(), request.GET.get("commune")),
            "volunteers": is_checked(request, "benevoles"),
        }

    def filtered_associations(self, filters):
        """The associations the filters keep, in the directory's order."""
        associations = AssociationPage.objects.child_of(self).visible_to_public().order_by("title")
        if filters["q"]:
            # PostgreSQL ignores accents too ("fetes" finds "fêtes").
            lookup = (
                "title__unaccent__icontains"
                if settings.DATABASE_IS_POSTGRES
                else "title__icontains"
            )
            associations = associations.filter(**{lookup: filters["q"]})
        # Many-to-many filters as subqueries: a join would repeat rows, and DISTINCT
        # over every column of the page costs a sort of the whole directory.
        if filters["field"]:
            associations = associations.filter(
                pk__in=AssociationPage.objects.filter(fields=filters["field"]).values("pk")
            )
        if filters["commune"]:
            associations = associations.filter(
                pk__in=AssociationPage.objects.filter(communes=filters["commune"]).values("pk")
            )
        if filters["volunteers"]:
            associations = associations.filter(looking_for_volunteers=True)
        return associations

    def association_pks(self, filters):
        """The pks of the filtered associations, in order: kept until an association
        is published."""

        def read():
            return list(self.filtered_associations(filters).values_list("pk", flat=True))

        return filtered_pks(self, filters, read, typed="q")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = self.association_filters(request)
        page_obj = Paginator(self.association_pks(filters), DIRECTORY_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        cards = Cards(
            request,
            page_obj.object_list,
            load=lambda pks: (
                AssociationPage.objects.filter(pk__in=pks)
                .select_related("locale", "logo")
                .prefetch_related(*AssociationPage.card_prefetches())
            ),
            template="benevolat/includes/association_card.html",
            name="association",
            tags=self.cache_tags,
        )
        # The associations themselves are read only when a card is not kept.
        page_obj.object_list = cards.objects
        context.update(
            page_obj=page_obj,
            associations=cards.objects,
            association_cards=cards.html(),
            filters=filters,
            fields=activity_fields(),
            communes=communes(),
            is_filtered=any(filters.values()),
        )
        return context


class AssociationPage(SharingMixin, Page):
    """An association of Loire-Authion, edited by its own members (under moderation)."""

    # Its name and logo show on its events and missions, in their listings.
    cache_purge_tags = staticmethod(lambda: {"associations", "events", "missions", "home"})

    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logo_alt = models.CharField(
        _("text alternative of the logo"),
        max_length=200,
        blank=True,
        help_text=_("What the logo shows, for people who cannot see it (often the name)."),
    )
    presentation = RichTextField(_("presentation"), features=RICH_TEXT_FEATURES, blank=True)
    fields = ParentalManyToManyField(
        ActivityField, verbose_name=_("fields of activity"), blank=True, related_name="+"
    )
    communes = ParentalManyToManyField(
        "home.Commune", verbose_name=_("communes déléguées"), blank=True, related_name="+"
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Public; volunteer requests for the association's missions are sent here."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram account"), blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    meeting_times = models.CharField(
        _("meeting times"),
        max_length=200,
        blank=True,
        help_text=_("For example: every Tuesday from 6 pm to 8 pm, except school holidays."),
    )
    membership = models.TextField(
        _("membership"),
        max_length=1000,
        blank=True,
        help_text=_("How to join, the yearly fee, who can join."),
    )
    looking_for_volunteers = models.BooleanField(_("looking for volunteers"), default=False)

    base_form_class = AssociationPageAdminForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("logo_alt")], heading=_("Logo")),
        FieldPanel("presentation"),
        FieldPanel("fields", widget=forms.CheckboxSelectMultiple),
        FieldPanel("communes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("looking_for_volunteers"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("phone"),
                FieldPanel("website"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
            ],
            heading=_("Public contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("meeting_place"), FieldPanel("meeting_times"), FieldPanel("membership")],
            heading=_("Meetings and membership"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("presentation"),
        index.SearchField("meeting_place"),
    ]
    translatable_fields = [
        SynchronizedField("title"),  # an association's name is not translated
        *SharingMixin.promote_translatable_fields,
        TranslatableField("presentation"),
        TranslatableField("logo_alt"),
        TranslatableField("meeting_times"),
        TranslatableField("membership"),
        SynchronizedField("logo"),
        SynchronizedField("fields"),
        SynchronizedField("communes"),
        SynchronizedField("contact_email"),
        SynchronizedField("phone"),
        SynchronizedField("website"),
        SynchronizedField("facebook_url"),
        SynchronizedField("instagram_url"),
        SynchronizedField("meeting_place"),
        SynchronizedField("looking_for_volunteers"),
    ]
    parent_page_types = ["benevolat.AssociationIndexPage"]
    subpage_types = ["benevolat.MissionPage", "events.EventPage"]

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")

    @staticmethod
    def card_prefetches():
        """What an association's card shows besides its own row."""
        return [
            "communes",
            "fields",
            Prefetch(
                "logo__renditions",
                # The very renditions the directory's srcset shows: any other
                # is made again, at every visit, for every logo.
                queryset=get_image_model()
                .get_rendition_model()
                .objects.filter(
                    filter_spec__in=["fill-160x160|format-webp", "fill-320x320|format-webp"]
                ),
            ),
        ]

    def clean(self):
        super().clean()
        if self.logo_id and not self.logo_alt.strip():
            raise ValidationError(
                {"logo_alt": _("Describe the logo for people who cannot see it.")}
            )

    def social_links(self):
        links = [
            (gettext("Website"), self.website),
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
        ]
        return [(name, url) for name, url in links if url]

    def open_missions(self):
        # Imported here: missions.py imports this module (a mission's association).
        from .missions import MissionPage

        return (
            MissionPage.objects.child_of(self)
            .visible_to_public()
            .filter(status=MissionPage.Status.OPEN)
            .select_related("commune")
            .with_accepted_count()
            .order_by("start_date", "title")
        )

    def facts(self, request):
        """Its fields of activity and communes, read again when it is published; a
        preview shows the draft's own."""

        def read():
            return {"fields": list(self.fields.all()), "communes": list(self.communes.all())}

        if getattr(request, "is_preview", False):
            return read()
        return cached_until_published(
            f"benevolat-association-facts:{self.pk}", read, tags=(page_tag(self),)
        )

    def get_context(self, request, *args, **kwargs):
        # Imported here: missions.py imports this module (a mission's association).
        from .missions import mission_cards

        context = super().get_context(request, *args, **kwargs)
        # A mission published here purges this page's tag.
        pks = cached_until_published(
            f"benevolat-association-missions:{self.pk}",
            lambda: list(self.open_missions().values_list("pk", flat=True)),
            tags=(page_tag(self),),
        )
        cards = mission_cards(request, pks, heading="h3")
        context.update(missions=cards.objects, mission_cards=cards.html(), **self.facts(request))
        return context
