"""Associations and the espace ressources bénévolat (plan actions 17 and 21).

The tree: the association directory and the missions listing sit under the home
page; each association's page holds its missions (and its events). Missions of the
CCAS and of the mairie sit directly under the listing. Volunteer requests and the
hours given are plain models, processed in the admin (see wagtail_hooks.py).
"""

import contextlib
import datetime
import secrets
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageManager,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.forms import RATE_LIMIT_MESSAGE, already_stored, rate_limit_exceeded, store_once
from home.models import Commune, SharingMixin, SitePageQuerySet
from home.rgpd import CONSENT, PUBLIC_TASK, Processing
from notifications.models import OutgoingEmail

from .admin_forms import MissionPageAdminForm, VolunteerHoursAdminForm

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]
DIRECTORY_PAGE_SIZE = 12
MISSIONS_PAGE_SIZE = 12
# What the confirmation promises the volunteer (and the structures are asked to keep).
ANSWER_WITHIN_DAYS = 10


class ActivityField(models.Model):
    """A field of activity (sport, culture, solidarity…): editable by the
    communication team as a snippet, shared by associations and missions."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


def _checked(request, name):
    return request.GET.get(name) in {"1", "on", "oui"}


def _choice(queryset, slug):
    """The object of `queryset` with this slug, or None (an unknown filter value is
    ignored rather than an error: links get old)."""
    # PostgreSQL refuses NUL bytes in text: such a value matches nothing anyway.
    if not slug or "\x00" in slug:
        return None
    return queryset.filter(slug=slug[:80]).first()


def member_group_name(association_title):
    # Group names are at most 150 characters.
    return f"Association — {association_title}"[:150]


class AssociationIndexPage(SharingMixin, Page):
    """The directory of the commune's associations (plan action 21)."""

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

    def associations(self, request):
        """The live associations filtered as the GET form asks, and the filters read."""
        filters = {
            "q": request.GET.get("q", "").replace("\x00", "").strip()[:100],
            "field": _choice(ActivityField.objects.all(), request.GET.get("domaine")),
            "commune": _choice(Commune.objects.all(), request.GET.get("commune")),
            "volunteers": _checked(request, "benevoles"),
        }
        associations = (
            AssociationPage.objects.child_of(self)
            .live()
            .public()
            .select_related("locale", "logo")
            .prefetch_related(
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
            )
            .order_by("title")
        )
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
        return associations, filters

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        associations, filters = self.associations(request)
        page_obj = Paginator(associations, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            page_obj=page_obj,
            associations=page_obj.object_list,
            filters=filters,
            fields=ActivityField.objects.all(),
            communes=Commune.objects.all(),
            is_filtered=any(filters.values()),
        )
        return context


class AssociationPage(SharingMixin, Page):
    """An association of Loire-Authion, edited by its own members (under moderation)."""

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
        return (
            MissionPage.objects.child_of(self)
            .live()
            .public()
            .filter(status=MissionPage.Status.OPEN)
            .select_related("commune")
            .with_accepted_count()
            .order_by("start_date", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["missions"] = self.open_missions()
        return context

    def members_group(self):
        return Group.objects.filter(name=member_group_name(self.title)).first()

    @transaction.atomic
    def ensure_members_group(self):
        """The association's own group: into the admin, add and change its page and
        what lies under it (missions, events), never publish (the communication
        team approves), and its own image collection. Idempotent."""
        group, _created = Group.objects.get_or_create(name=member_group_name(self.title))
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=self,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=group.name).first()
        if collection is None:
            collection = root.add_child(name=group.name)
        for codename in ("add_image", "change_image", "choose_image"):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailimages", codename=codename
                ),
            )
        return group

    @transaction.atomic
    def add_member(self, username, email, first_name="", last_name="", password=None):
        """Create (or update) a member's account in the association's group.

        Returns the user and the initial password when one was generated (to give
        to the member once), else None. A team account is never turned into a member.
        """
        from django.contrib.auth import get_user_model

        group = self.ensure_members_group()
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email}
        )
        if (
            user.is_superuser
            or user.is_staff
            or user.groups.filter(name__startswith="Communication").exists()
        ):
            raise ValidationError(
                gettext("“%(username)s” is a team account: it cannot become an association member.")
                % {"username": username}
            )
        user.email = email
        user.first_name = first_name or user.first_name
        user.last_name = last_name or user.last_name
        generated = None
        if created and not password:
            generated = password = secrets.token_urlsafe(12)
        if password:
            # A password the team chooses obeys the same rules as any other.
            validate_password(password, user)
            user.set_password(password)
        user.save()
        user.groups.add(group)
        return user, generated


def associations_of(user):
    """The ids of the association pages whose members' group `user` belongs to:
    what scopes the requests and hours an association member sees."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_benevolat_associations", None)
    if cached is None:
        cached = frozenset(
            GroupPagePermission.objects.filter(
                group__user=user,
                permission__codename="change_page",
                page__in=AssociationPage.objects.all(),
            ).values_list("page_id", flat=True)
        )
        user._benevolat_associations = cached
    return cached


class MissionIndexPage(RoutablePageMixin, SharingMixin, Page):
    """The espace ressources bénévolat: every live mission, wherever it sits, with
    filters; the missions of the CCAS and the mairie live here. It also takes the
    general offers of help ("Je veux aider" without a mission)."""

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

    def missions(self, request):
        filters = {
            "commune": _choice(Commune.objects.all(), request.GET.get("commune")),
            "field": _choice(ActivityField.objects.all(), request.GET.get("domaine")),
            "date": None,
            "families": _checked(request, "familles"),
            "open": _checked(request, "ouvertes"),
        }
        with contextlib.suppress(ValueError):  # an invalid date is ignored
            filters["date"] = datetime.date.fromisoformat(request.GET.get("date", "")[:10])
        missions = (
            MissionPage.objects.live()
            .public()
            .filter(locale_id=self.locale_id)
            .select_related("commune", "association")
            .prefetch_related("fields")
            .with_accepted_count()
        )
        if filters["commune"]:
            missions = missions.filter(commune=filters["commune"])
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
        return missions, filters

    def offer_url(self):
        return self.url + self.reverse_subpage("offer")

    @path("")
    def listing(self, request):
        missions, filters = self.missions(request)
        page_obj = Paginator(missions, MISSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "page_obj": page_obj,
                "missions": page_obj.object_list,
                "filters": filters,
                "fields": ActivityField.objects.all(),
                "communes": Commune.objects.all(),
                "is_filtered": any(value for value in filters.values()),
            },
        )

    @path("proposer-mon-aide/", name="offer")
    def offer(self, request):
        return serve_volunteer_form(self, request, mission=None)

    @path("proposer-mon-aide/merci/", name="offer_thanks")
    def offer_thanks(self, request):
        return self.render(
            request,
            template="benevolat/volunteer_request_thanks.html",
            context_overrides={"mission": None, "answer_within_days": ANSWER_WITHIN_DAYS},
        )


class MissionPageQuerySet(SitePageQuerySet):
    def with_accepted_count(self):
        """Annotate each mission with its accepted requests (places left follow
        them). Requests are kept on the mission in the default language, so a
        translation counts those of its original (same translation key)."""
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
            return gettext("CCAS of Loire-Authion")
        return gettext("Mairie of Loire-Authion")

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
        from django.utils.formats import date_format

        if self.start_date and self.end_date and self.end_date != self.start_date:
            return gettext("from %(start)s to %(end)s") % {
                "start": date_format(self.start_date, "j F Y"),
                "end": date_format(self.end_date, "j F Y"),
            }
        if self.start_date:
            if self.end_date == self.start_date or self.recurrence == "":
                return date_format(self.start_date, "l j F Y")
            return gettext("from %(start)s") % {"start": date_format(self.start_date, "j F Y")}
        return ""

    @path("")
    def mission(self, request):
        return serve_volunteer_form(self, request, mission=self)

    @path("merci/", name="thanks")
    def thanks(self, request):
        return self.render(
            request,
            template="benevolat/volunteer_request_thanks.html",
            context_overrides={"mission": self, "answer_within_days": ANSWER_WITHIN_DAYS},
        )


def serve_volunteer_form(page, request, mission):
    """The "Je veux aider" form, on a mission's page or on the listing (general offer).

    The request and its three emails are saved in one transaction; a closed or full
    mission, a robot, a flood from one address are refused with a French message.
    """
    from .forms import VolunteerRequestForm

    refusal = mission.refusal_reason() if mission else None
    template = "benevolat/mission_page.html" if mission else "benevolat/volunteer_offer_page.html"
    form = VolunteerRequestForm(general=mission is None)
    status = 200
    context = {"refusal": refusal}
    if request.method == "POST":
        form = VolunteerRequestForm(request.POST, general=mission is None)
        thanks = page.url + page.reverse_subpage("thanks" if mission else "offer_thanks")
        if refusal:
            status = 409
        elif not form.is_valid():
            status = 400
        elif already_stored(form):
            return HttpResponseRedirect(thanks)
        elif rate_limit_exceeded(request, "benevolat-request"):
            status = 429
            context["rate_limited"] = RATE_LIMIT_MESSAGE
        else:
            store_once(
                form, lambda: form.save_request(mission.source_mission() if mission else None, page)
            )
            return HttpResponseRedirect(thanks)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    context.update(form=form, answer_within_days=ANSWER_WITHIN_DAYS)
    response = page.render(request, template=template, context_overrides=context)
    if isinstance(response, TemplateResponse):
        response.status_code = status
    return response


class VolunteerRequest(models.Model):
    """A citizen's "Je veux aider": an application to a mission, or (with no
    mission) a general offer of help that the communication team directs."""

    # Kept one year after the last change, then removed (stated on the form).
    RETENTION = datetime.timedelta(days=365)
    personal_data = Processing(
        name=_("Volunteer requests (“Je veux aider”)"),
        data=_("Your name, email, phone, commune, message, interests and availability."),
        purpose=_("Answer you and organise the volunteering."),
        legal_basis=CONSENT,
        recipients=_(
            "The structure of the mission (association, CCAS or mairie) and the communication team."
        ),
        retention=RETENTION,
        retention_note=_("Counted from the last change of the request."),
        order=30,
    )

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_CONTACT = "in_contact", _("in contact")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        ARCHIVED = "archived", _("archived")

    class DeclineReason(models.TextChoices):
        FILLED = "filled", _("the mission has found its volunteers")
        CANCELLED = "cancelled", _("the mission is cancelled or postponed")
        PROFILE = "profile", _("the mission asks for other skills or availability")
        OTHER_MISSION = "other_mission", _("another mission would suit you better")

    class Structure(models.TextChoices):
        ASSOCIATION = "association", _("an association")
        CCAS = "ccas", _("the CCAS")
        MAIRIE = "mairie", _("the mairie")
        GENERAL = "general", _("general offer (communication team)")

    mission = models.ForeignKey(
        MissionPage,
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_requests",
    )
    structure = models.CharField(
        _("structure"), max_length=20, choices=Structure.choices, default=Structure.GENERAL
    )
    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_requests",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    interests = models.TextField(_("interests"), max_length=600, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "home.Commune",
        verbose_name=_("commune déléguée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent = models.BooleanField(_("consent to the use of the data"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    decline_reason = models.CharField(
        _("reason for declining"),
        max_length=20,
        choices=DeclineReason.choices,
        blank=True,
        help_text=_("Required to decline: the volunteer receives it by email."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        max_length=3000,
        blank=True,
        help_text=_("Never shown to the volunteer."),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("phone", read_only=True),
                FieldPanel("commune", read_only=True),
                FieldPanel("message", read_only=True),
                FieldPanel("interests", read_only=True),
                FieldPanel("availability", read_only=True),
            ],
            heading=_("The volunteer"),
        ),
        FieldPanel("status"),
        FieldPanel("decline_reason"),
        FieldPanel("internal_notes"),
    ]

    class Meta:
        verbose_name = _("volunteer request")
        verbose_name_plural = _("volunteer requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_status = self.status

    def __str__(self):
        what = self.mission.title if self.mission_id else gettext("general offer")
        return f"{self.name} — {what}"

    def save(self, *args, **kwargs):
        if self.mission_id:
            self.structure = self.mission.structure
            self.association_id = self.mission.association_id
        elif self._state.adding:
            self.structure = self.Structure.GENERAL
        declined_now = (
            self.status == self.Status.DECLINED and self._saved_status != self.Status.DECLINED
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            if declined_now:
                OutgoingEmail.queue(
                    self.email,
                    "benevolat/emails/request_declined",
                    {"request": self, "structure_name": self.structure_name},
                    reply_to=self.mission.structure_email if self.mission_id else "",
                )
        self._saved_status = self.status

    @property
    def structure_name(self):
        if self.mission_id:
            return self.mission.structure_name
        return gettext("Communication team")

    def clean(self):
        super().clean()
        if self.status == self.Status.DECLINED and not self.decline_reason:
            raise ValidationError(
                {"decline_reason": _("Choose the reason given to the volunteer.")}
            )
        if (
            self.status == self.Status.ACCEPTED
            and self._saved_status != self.Status.ACCEPTED
            and self.mission_id
            and self.mission.is_full
        ):
            raise ValidationError(
                {"status": _("The mission has no place left: no other volunteer can be accepted.")}
            )

    def queue_emails(self, page):
        """The confirmation to the citizen, the notice to the structure and to the
        team, queued in the caller's transaction."""
        context = {
            "request": self,
            "mission": self.mission,
            "page_url": page.full_url,
            "structure_name": self.structure_name,
            "answer_within_days": ANSWER_WITHIN_DAYS,
            "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("benevolat_requests:edit", args=[self.pk]),
            "retention_days": self.RETENTION.days,
        }
        structure_email = self.mission.structure_email if self.mission_id else None
        OutgoingEmail.queue(
            self.email,
            "benevolat/emails/request_confirmation",
            context,
            reply_to=structure_email or settings.STAFF_NOTIFICATION_EMAIL,
        )
        recipients = [settings.STAFF_NOTIFICATION_EMAIL]
        if structure_email and structure_email not in recipients:
            recipients.insert(0, structure_email)
        for recipient in recipients:
            OutgoingEmail.queue(
                recipient, "benevolat/emails/request_notice", context, reply_to=self.email
            )

    @classmethod
    def purge_personal_data(cls, now):
        expired = cls.objects.filter(updated_at__lt=now - cls.RETENTION)
        return expired.delete()[0]

    @classmethod
    def personal_data_of(cls, email):
        return cls.objects.filter(email__iexact=email.strip())

    @classmethod
    def erase_personal_data(cls, email):
        rows = cls.personal_data_of(email)
        # The hours stay, anonymous, for the yearly totals; deleting the requests
        # first would cut the link that finds them.
        VolunteerHours.erase_personal_data(email)
        return rows.delete()[1].get(cls._meta.label, 0)


class VolunteerHours(models.Model):
    """Hours a volunteer gave to a mission (plan action 17: "recenser les heures de
    bénévolat"), recorded by the structure for its annual report."""

    # No public page shows them: recording hours keeps the page cache.
    shown_on_public_pages = False
    # Volunteers' names are removed after this time; the hours stay, anonymous,
    # for the yearly totals.
    NAME_RETENTION = datetime.timedelta(days=2 * 365)
    personal_data = Processing(
        name=_("Volunteering hours"),
        data=_("The volunteer's name, the mission, the date and the hours given."),
        purpose=_("Count the hours of volunteering for the structures' annual reports."),
        legal_basis=PUBLIC_TASK,
        recipients=_("The structure of the mission and the communication team."),
        retention=NAME_RETENTION,
        retention_note=_("Then the hours stay, without the name, in the yearly totals."),
        order=40,
    )

    mission = models.ForeignKey(
        MissionPage,
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="volunteer_hours",
    )
    volunteer_request = models.ForeignKey(
        VolunteerRequest,
        verbose_name=_("volunteer request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hours",
        help_text=_("The accepted request of this volunteer, if any."),
    )
    volunteer_name = models.CharField(_("volunteer"), max_length=120, blank=True)
    date = models.DateField(_("date"), default=datetime.date.today)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    association = models.ForeignKey(
        AssociationPage,
        verbose_name=_("association"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    panels = [
        FieldPanel("mission"),
        FieldPanel("volunteer_request"),
        FieldPanel("volunteer_name"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("hours")]),
        FieldPanel("note"),
    ]
    base_form_class = VolunteerHoursAdminForm

    class Meta:
        verbose_name = _("volunteering hours")
        verbose_name_plural = _("volunteering hours")
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.volunteer_display} — {self.mission.title} ({self.date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.association_id = self.mission.association_id
        super().save(*args, **kwargs)

    @property
    def volunteer_display(self):
        return self.volunteer_name or gettext("anonymous volunteer")

    @property
    def structure_name(self):
        return self.mission.structure_name

    def clean(self):
        super().clean()
        if self.volunteer_request_id and not self.volunteer_name:
            self.volunteer_name = self.volunteer_request.name
        if not self.volunteer_name.strip():
            raise ValidationError(
                {"volunteer_name": _("Give the volunteer's name or choose their request.")}
            )
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Hours are recorded once given, not in advance.")})
        if (
            self.volunteer_request_id
            and self.mission_id
            and self.volunteer_request.mission_id != self.mission_id
        ):
            raise ValidationError({"volunteer_request": _("This request is for another mission.")})

    @classmethod
    def yearly_totals(cls, queryset):
        """Hours and volunteers per year and structure, for the annual reports."""
        from django.db.models import Sum
        from django.db.models.functions import ExtractYear

        rows = (
            queryset.annotate(year=ExtractYear("date"))
            .values("year", "mission__structure", "association__title")
            .annotate(
                total=Sum("hours"),
                missions=Count("mission", distinct=True),
                volunteers=Count("volunteer_name", distinct=True),
                entries=Count("pk"),
            )
            .order_by("-year", "mission__structure", "association__title")
        )
        labels = dict(MissionPage.Structure.choices)
        return [
            {
                "year": row["year"],
                "structure": row["association__title"]
                or str(labels.get(row["mission__structure"], "")),
                "missions": row["missions"],
                "volunteers": row["volunteers"],
                "entries": row["entries"],
                "hours": row["total"],
            }
            for row in rows
        ]

    @classmethod
    def purge_personal_data(cls, now):
        old = cls.objects.filter(date__lt=(now - cls.NAME_RETENTION).date()).exclude(
            volunteer_name="", volunteer_request=None
        )
        return old.update(volunteer_name="", volunteer_request=None)

    @classmethod
    def personal_data_of(cls, email):
        return cls.objects.filter(volunteer_request__email__iexact=email.strip())

    @classmethod
    def erase_personal_data(cls, email):
        return cls.personal_data_of(email).update(volunteer_name="", volunteer_request=None)


def home_highlight(home, listing):
    """The home page's highlight: the latest open missions, with a link to them all
    (the missions listing, the home page's child, or None)."""
    missions = []
    if listing is not None:
        missions = list(
            MissionPage.objects.live()
            .public()
            .filter(locale_id=home.locale_id, status=MissionPage.Status.OPEN)
            .select_related("commune", "association")
            .with_accepted_count()
            # NULLS LAST keeps PostgreSQL off the index of every page's publication
            # date, where it walked thousands of other pages to find three missions.
            .order_by(models.F("first_published_at").desc(nulls_last=True))[:3]
        )
    return {
        "title": listing.title if listing else gettext("Volunteer missions"),
        "template": "benevolat/includes/missions_highlight.html",
        "items": missions,
        "more_url": listing.url if listing else "",
        "more_label": gettext("See all the volunteer missions"),
    }
