"""Volunteer missions and the espace ressources bénévolat that lists them (plan
action 17). Missions of an association sit under its page; those of the CCAS and of
the mairie directly under the listing. Their pages take the applications (views.py)."""

import contextlib
import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, Site
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from actions.models import ActionPage
from home.dates import day as format_day
from home.models import CommuneSettings, SharingMixin, SitePageQuerySet
from home.near_me import communes, default_commune
from home.page_cache import cached_until_published, page_tag, page_tags

from ..admin_forms import MissionPageAdminForm
from ..cards import Cards, filtered_pks
from ..emails import ANSWER_WITHIN_DAYS
from .associations import (
    RICH_TEXT_FEATURES,
    ActivityField,
    AssociationPage,
    activity_fields,
    choice_by_slug,
    is_checked,
)

MISSIONS_PAGE_SIZE = 12


def commune_name(page):
    """The commune's name in the settings of the page's site. Read once per site
    generation: every mission card of a listing asks for it, and saving the settings
    starts a new generation."""
    url_parts = page.get_url_parts()
    site_id = url_parts[0] if url_parts else None

    def read():
        site = (
            Site.objects.filter(pk=site_id).first()
            if site_id
            else Site.objects.filter(is_default_site=True).first()
        )
        if site is None:
            return CommuneSettings._meta.get_field("commune_name").default
        return CommuneSettings.for_site(site).commune_name

    return cached_until_published(f"benevolat-commune-name:{site_id}", read)


class MissionIndexPage(RoutablePageMixin, SharingMixin, Page):
    """The espace ressources bénévolat: every live mission, wherever it sits, with
    filters; the missions of the CCAS and the mairie live here. It also takes the
    general offers of help ("Je veux aider" without a mission)."""

    # The query parameters it reads: the page cache keys it by these alone.
    query_parameters = {"commune", "domaine", "date", "familles", "ouvertes", "page"}
    # What it lists, for the page cache: a published mission forgets it.
    cache_tags = ("missions",)

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)
    offer_intro = models.TextField(
        _("introduction of the offer form"),
        max_length=600,
        blank=True,
        help_text=_("Shown above the form through which citizens offer help in general."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("offer_intro")]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        TranslatableField("offer_intro"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["benevolat.MissionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("volunteer missions listing")
        verbose_name_plural = _("volunteer missions listings")

    def mission_filters(self, request):
        """The filters the GET form asks for, and the visitor's commune when it
        chose them."""
        # With no filter, the visitor's commune déléguée ("près de chez vous").
        near = default_commune(request, self.query_parameters)
        filters = {
            "commune": near or choice_by_slug(communes(), request.GET.get("commune")),
            "field": choice_by_slug(activity_fields(), request.GET.get("domaine")),
            "date": None,
            "families": is_checked(request, "familles"),
            "open": is_checked(request, "ouvertes"),
        }
        with contextlib.suppress(ValueError):  # an invalid date is ignored
            filters["date"] = datetime.date.fromisoformat(request.GET.get("date", "")[:10])
        return filters, near

    def filtered_missions(self, filters):
        """The missions the filters keep, in the listing's order."""
        missions = MissionPage.objects.visible_to_public().filter(locale_id=self.locale_id)
        if filters["commune"]:
            # A mission with no commune déléguée is for the whole commune: near everyone.
            missions = missions.filter(Q(commune=filters["commune"]) | Q(commune__isnull=True))
        if filters["field"]:
            # A subquery, not a join: no repeated rows, so no DISTINCT to sort them out.
            missions = missions.filter(
                pk__in=MissionPage.objects.filter(fields=filters["field"]).values("pk")
            )
        if filters["date"]:
            # Missions still running on that date or later (regular ones have no end).
            missions = missions.filter(Q(end_date__isnull=True) | Q(end_date__gte=filters["date"]))
        if filters["families"]:
            missions = missions.filter(suits_families=True)
        if filters["open"]:
            missions = missions.filter(status=MissionPage.Status.OPEN)
        # Open missions first, then the soonest.
        missions = missions.annotate(
            closed_last=models.Case(models.When(status=MissionPage.Status.OPEN, then=0), default=1)
        ).order_by("closed_last", models.F("start_date").asc(nulls_first=True), "title")
        return missions

    def offer_url(self):
        return self.url + self.reverse_subpage("offer")

    def mission_pks(self, filters):
        """The pks of the filtered missions, in order: kept until a mission is
        published (the order and the filters read the missions' own fields only)."""

        def read():
            return list(self.filtered_missions(filters).values_list("pk", flat=True))

        return filtered_pks(self, filters, read, typed="date")

    @path("")
    def listing(self, request):
        filters, near = self.mission_filters(request)
        page_obj = Paginator(self.mission_pks(filters), MISSIONS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        cards = mission_cards(request, page_obj.object_list, heading="h2")
        # The missions themselves are read only when a card is not kept.
        page_obj.object_list = cards.objects
        return self.render(
            request,
            context_overrides={
                "page_obj": page_obj,
                "missions": cards.objects,
                "mission_cards": cards.html(),
                "filters": filters,
                "fields": activity_fields(),
                "communes": communes(),
                "is_filtered": any(value for value in filters.values()) and not near,
                "near_commune": near,
            },
        )

    @path("proposer-mon-aide/", name="offer")
    def offer(self, request):
        # Imported here: views.py imports the forms, which import these models.
        from ..views import serve_volunteer_form

        return serve_volunteer_form(self, request, mission=None)

    @path("proposer-mon-aide/merci/", name="offer_thanks")
    def offer_thanks(self, request):
        from ..views import sent_request

        return self.render(
            request,
            template="benevolat/volunteer_request_thanks.html",
            context_overrides={
                "mission": None,
                "answer_within_days": ANSWER_WITHIN_DAYS,
                "sent": sent_request(request),
            },
        )


class MissionPageQuerySet(SitePageQuerySet):
    def with_accepted_count(self):
        """Annotate each mission with its accepted requests (places left follow
        them). Requests are kept on the mission in the default language, so a
        translation counts those of its original (same translation key)."""
        # Imported here: requests.py imports this module (a request's mission).
        from .requests import VolunteerRequest

        accepted = (
            VolunteerRequest.objects.filter(
                mission__translation_key=models.OuterRef("translation_key"),
                status=VolunteerRequest.Status.ACCEPTED,
            )
            .order_by()
            .values("mission__translation_key")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(accepted_count=Coalesce(models.Subquery(accepted), 0))


class MissionPage(RoutablePageMixin, SharingMixin, Page):
    """A volunteer mission of an association (under its page), of the CCAS or of the
    mairie (under the missions listing). Its page takes the applications."""

    class Structure(models.TextChoices):
        ASSOCIATION = "association", _("an association")
        CCAS = "ccas", _("the CCAS")
        MAIRIE = "mairie", _("the mairie")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FILLED = "filled", _("filled")
        CLOSED = "closed", _("closed")

    structure = models.CharField(
        _("structure"),
        max_length=20,
        choices=Structure.choices,
        default=Structure.ASSOCIATION,
        help_text=_("Under an association's page, the mission is that association's."),
    )
    # Set from the parent page on save, so that listings and permissions find the
    # association without walking the tree.
    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(
        _("summary"),
        max_length=250,
        help_text=_("One or two sentences, shown in the listing."),
    )
    description = RichTextField(_("description"), features=RICH_TEXT_FEATURES)
    fields = ParentalManyToManyField(
        ActivityField, verbose_name=_("fields of activity"), blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        "home.Commune",
        verbose_name=_("commune déléguée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty when the mission concerns the whole commune."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"),
        max_length=200,
        blank=True,
        help_text=_("For a regular mission, for example: every Saturday morning."),
    )
    time_asked = models.CharField(
        _("time asked"),
        max_length=120,
        blank=True,
        help_text=_("For example: two hours a week."),
    )
    skills = models.TextField(_("skills wanted"), max_length=600, blank=True)
    volunteers_needed = models.PositiveSmallIntegerField(
        _("number of volunteers sought"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    suits_families = models.BooleanField(
        _("suits families and children"),
        default=False,
        help_text=_("Children can take part with their parents (plan action 17)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    contact_email = models.EmailField(
        _("contact email of the structure"),
        blank=True,
        help_text=_(
            "Where volunteer requests are sent. Left empty: the association's email, "
            "or the communication team's for the CCAS and the mairie."
        ),
    )

    # A mission can serve actions of the plan (the action pages list their missions).
    related_actions = ParentalManyToManyField(
        "actions.ActionPage",
        verbose_name=_("actions of the plan"),
        blank=True,
        related_name="missions",
    )

    objects = PageManager.from_queryset(MissionPageQuerySet)()

    def cache_purge_tags(self):
        """Where a mission shows: the espace bénévolat, the home page, its actions'
        pages and its association's page."""
        tags = {"missions", "home"} | page_tags(self.related_actions.all())
        if self.association_id:
            tags.add(page_tag(self.association))
        return tags

    def public_related_actions(self):
        return ActionPage.public_among(self.related_actions)

    content_panels = [
        *Page.content_panels,
        FieldPanel("structure"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("fields", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("commune"),
                FieldPanel("place"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("recurrence"),
                FieldPanel("time_asked"),
            ],
            heading=_("Where and when"),
        ),
        FieldPanel("skills"),
        FieldPanel("volunteers_needed"),
        FieldPanel("suits_families"),
        FieldPanel("status"),
        FieldPanel("contact_email"),
        FieldPanel("related_actions"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("skills"),
        index.FilterField("status"),
    ]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("summary"),
        TranslatableField("description"),
        TranslatableField("recurrence"),
        TranslatableField("time_asked"),
        TranslatableField("skills"),
        SynchronizedField("structure"),
        SynchronizedField("fields"),
        SynchronizedField("commune"),
        SynchronizedField("place"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
        SynchronizedField("volunteers_needed"),
        SynchronizedField("suits_families"),
        SynchronizedField("status"),
        SynchronizedField("contact_email"),
        SynchronizedField("related_actions"),
    ]
    parent_page_types = ["benevolat.AssociationPage", "benevolat.MissionIndexPage"]
    subpage_types = []
    base_form_class = MissionPageAdminForm

    class Meta:
        verbose_name = _("volunteer mission")
        verbose_name_plural = _("volunteer missions")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The mission cannot end before it starts.")
        if not self.start_date and not self.recurrence.strip():
            errors["start_date"] = _("Give the mission's dates or how often it recurs.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.path:  # in the tree: the parent says whose mission it is
            parent = self.get_parent().specific
            if isinstance(parent, AssociationPage):
                self.structure = self.Structure.ASSOCIATION
                self.association = parent
            else:
                self.association = None
                if self.structure == self.Structure.ASSOCIATION:
                    self.structure = self.Structure.MAIRIE
        return super().save(*args, **kwargs)

    @property
    def structure_name(self):
        if self.structure == self.Structure.ASSOCIATION and self.association_id:
            return self.association.title
        if self.structure == self.Structure.CCAS:
            return gettext("CCAS of %(commune)s") % {"commune": commune_name(self)}
        return gettext("Town hall of %(commune)s") % {"commune": commune_name(self)}

    @property
    def structure_email(self):
        if self.contact_email:
            return self.contact_email
        if self.association_id and self.association.contact_email:
            return self.association.contact_email
        return settings.STAFF_NOTIFICATION_EMAIL

    def source_mission(self):
        """The mission in the site's default language: requests made on a
        translation are the original mission's, whose structure processes them."""
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        return (
            MissionPage.objects.filter(
                translation_key=self.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            .select_related("association")
            .first()
            or self
        )

    @cached_property
    def places_left(self):
        accepted = getattr(self, "accepted_count", None)
        if accepted is None:
            # Imported here: requests.py imports this module (a request's mission).
            from .requests import VolunteerRequest

            accepted = VolunteerRequest.objects.filter(
                mission__translation_key=self.translation_key,
                status=VolunteerRequest.Status.ACCEPTED,
            ).count()
        return max(self.volunteers_needed - accepted, 0)

    @property
    def is_full(self):
        return self.places_left == 0

    def refusal_reason(self, today=None):
        """Why the mission takes no new application, in French; None when it does."""
        today = today or timezone.localdate()
        if self.status == self.Status.CLOSED or (self.end_date and self.end_date < today):
            return gettext("This mission is closed: it no longer takes applications.")
        if self.status == self.Status.FILLED or self.is_full:
            return gettext(
                "This mission has found all the volunteers it needed: it no longer "
                "takes applications."
            )
        return None

    @property
    def display_status(self):
        """The status a visitor reads: an open mission with no place left is filled."""
        if self.status == self.Status.OPEN and self.is_full:
            return self.Status.FILLED.label
        return self.get_status_display()

    def dates_display(self):
        if self.start_date and self.end_date and self.end_date != self.start_date:
            return gettext("from %(start)s to %(end)s") % {
                "start": format_day(self.start_date, "j F Y"),
                "end": format_day(self.end_date, "j F Y"),
            }
        if self.start_date:
            if self.end_date == self.start_date or self.recurrence == "":
                return format_day(self.start_date)
            return gettext("from %(start)s") % {"start": format_day(self.start_date, "j F Y")}
        return ""

    def facts(self, request):
        """What the page shows besides its own row: its accepted requests (its places
        left), its association, its fields of activity and actions. Read again when
        the mission is published or a request accepted (its tag); a new title or
        address of its association or actions turns the generation over. A preview
        and a form sent read them afresh."""
        from .requests import VolunteerRequest

        def read():
            return {
                "accepted_count": VolunteerRequest.objects.filter(
                    mission__translation_key=self.translation_key,
                    status=VolunteerRequest.Status.ACCEPTED,
                ).count(),
                "association": self.association if self.association_id else None,
                "fields": list(self.fields.all()),
                "actions": list(self.public_related_actions()),
            }

        if getattr(request, "is_preview", False) or request.method != "GET":
            return read()
        return cached_until_published(
            f"benevolat-mission-facts:{self.pk}",
            read,
            tags=(page_tag(self),),
            # An action published for the first time purges no mission: kept no
            # longer than the page itself in the page cache.
            timeout=settings.PAGE_CACHE_SECONDS,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        facts = self.facts(request)
        context.update(fields=facts["fields"], actions=facts["actions"])
        return context

    @path("")
    def mission(self, request):
        # Imported here: views.py imports the forms, which import these models.
        from ..views import serve_volunteer_form

        facts = self.facts(request)
        # Its places left and the names it shows, without a query each.
        self.accepted_count = facts["accepted_count"]
        self.association = facts["association"]
        commune = next((c for c in communes() if c.pk == self.commune_id), None)
        if commune is not None:
            self.commune = commune
        return serve_volunteer_form(self, request, mission=self)

    @path("merci/", name="thanks")
    def thanks(self, request):
        from ..views import sent_request

        return self.render(
            request,
            template="benevolat/volunteer_request_thanks.html",
            context_overrides={
                "mission": self,
                "answer_within_days": ANSWER_WITHIN_DAYS,
                "sent": sent_request(request),
            },
        )


def mission_cards(request, pks, heading):
    """The cards of the missions `pks` (see cards.py), under `heading` (h2 or h3)."""
    return Cards(
        request,
        pks,
        load=lambda pks: (
            MissionPage.objects.filter(pk__in=pks)
            .select_related("commune", "association")
            .with_accepted_count()
        ),
        template="benevolat/includes/mission_card.html",
        name="mission",
        tags=("missions",),
        context={"heading": heading},
    )


def home_highlight(home, listing):
    """The home page's highlight: the latest open missions, with a link to them all
    (the missions listing, the home page's child, or None)."""
    missions = []
    if listing is not None:
        missions = list(
            MissionPage.objects.visible_to_public()
            .filter(locale_id=home.locale_id, status=MissionPage.Status.OPEN)
            .select_related("commune", "association")
            .with_accepted_count()
            # NULLS LAST keeps PostgreSQL off the index of every page's publication
            # date, where it walked thousands of other pages to find three missions.
            .order_by(models.F("first_published_at").desc(nulls_last=True))[:3]
        )
    volunteer = []
    if listing is not None:
        volunteer = [
            {
                "label": gettext("Become a volunteer"),
                "url": listing.url + "proposer-mon-aide/",
                "icon": "hand-heart",
            }
        ]
    return {
        "quick_actions": volunteer,
        "title": listing.title if listing else gettext("Volunteer missions"),
        "page": listing,
        "template": "benevolat/includes/missions_highlight.html",
        "items": missions,
        "more_url": listing.url if listing else "",
        "more_label": gettext("See all the volunteer missions"),
    }
