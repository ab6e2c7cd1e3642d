"""The agenda (plan actions 18 and 31) and the events of the commune and of its
associations, with their calendar and RSS feeds."""

import hashlib
from datetime import timedelta

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from actions.models import ActionPage
from bénévolat.models import AssociationPage
from home.admin_french import InlinePanel
from home.blocks import BodyBlock
from home.models import SharingMixin
from home.near_me import default_commune
from home.page_cache import cached_until_published, page_tag, page_tags

from ..admin_forms import EventPageAdminForm
from ..feeds import AgendaFeed, calendar_response
from ..recurrence import MAX_OCCURRENCES, Repeat, repeated_times, whole_days
from .occurrences import EventOccurrence, occurrences_for_listing, public_occurrences
from .vocabulary import (
    ICAL_STATUS,
    Audience,
    EventCategory,
    EventStatus,
    MunicipalService,
    Registration,
)

EVENTS_PER_PAGE = 20
# Calendar subscriptions receive the upcoming dates and those of the last weeks.
FEED_PAST_DAYS = 30
FEED_MAX_ITEMS = 500


class EventIndexPage(SharingMixin, RoutablePageMixin, Page):
    """The agenda: the upcoming dates of every event and ceremony, filtered, paginated,
    with its archive and its calendar and RSS feeds."""

    # The query parameters it reads: the page cache keys it by these alone.
    query_parameters = {"du", "au", "commune", "categorie", "organisateur", "public", "page"}
    # What it lists, for the page cache: a published event forgets it.
    cache_tags = ("events",)

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage", "events.CeremonyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def occurrences(self, past=False):
        """Live events' dates in this agenda's language; the upcoming ones (not yet
        ended) first to last, or the past ones from the latest."""
        now = timezone.now()
        occurrences = public_occurrences(self.locale_id)
        if past:
            return occurrences.filter(end__lt=now).order_by("-start", "-page_id", "-pk")
        return occurrences.filter(end__gte=now)

    def filter_form(self, request, data=None):
        # events.forms builds its fields from these models: importing it above would be
        # an import cycle.
        from ..forms import AgendaFilterForm

        return AgendaFilterForm(data or request.GET or None, locale_id=self.locale_id)

    def feed_query(self, request):
        """The current filters, to carry into the feed links and pagination."""
        query = request.GET.copy()
        query.pop("page", None)
        return query.urlencode()

    def listing(self, request, past=False):
        # With no filter, the upcoming dates of the visitor's commune déléguée.
        near = None if past else default_commune(request, self.query_parameters)
        form = self.filter_form(request, {"commune": near.slug} if near else None)
        status = 200
        if form.is_bound and not form.is_valid():
            status = 400
            page_obj = Paginator([], EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        else:
            page_obj = self.dates_page(form, past, request.GET.get("page"))
        query = self.feed_query(request)
        # The feeds follow what the page lists.
        feed_query = query or (f"commune={near.slug}" if near else "")
        suffix = f"?{feed_query}" if feed_query else ""
        # Read once, with the sites the request has read already: each `self.url`
        # looks them up in the cache.
        url = self.get_url(request)
        context = {
            **self.get_context(request),
            "filter_form": form,
            "page_obj": page_obj,
            "occurrences": page_obj.object_list,
            "past": past,
            "is_filtered": bool(query),
            "near_commune": near,
            "ics_url": url + self.reverse_subpage("ics") + suffix,
            "rss_url": url + self.reverse_subpage("rss") + suffix,
            "archive_url": url + self.reverse_subpage("archive"),
        }
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def dates_page(self, form, past, number):
        """The page of dates asked for, with the valid filters of `form`. How many
        dates match and which are on the page are kept until an event is published,
        or the page cache's time at most (the clock takes dates out of the agenda):
        counting them goes through every date. The query is only built when they
        are read."""

        def matching():
            occurrences = self.occurrences(past=past)
            return form.filter(occurrences) if form.is_bound else occurrences

        filters = form.cleaned_data if form.is_bound else {}
        chosen = "&".join(
            f"{name}={getattr(value, 'slug', value)}"
            for name, value in sorted(filters.items())
            if value
        )
        digest = hashlib.sha256(chosen.encode()).hexdigest()
        key = f"agenda-dates:{self.locale_id}:{'past' if past else 'upcoming'}:{digest}"
        paginator = Paginator([], EVENTS_PER_PAGE)
        paginator.count = cached_until_published(
            f"{key}:count",
            lambda: matching().count(),
            tags=self.cache_tags,
            timeout=settings.PAGE_CACHE_SECONDS,
        )
        page = paginator.get_page(number)
        start = (page.number - 1) * EVENTS_PER_PAGE
        # A list: the copy is shared by the requests that read it.
        page.object_list = cached_until_published(
            f"{key}:{page.number}",
            lambda: list(matching()[start : start + EVENTS_PER_PAGE]),
            tags=self.cache_tags,
            timeout=settings.PAGE_CACHE_SECONDS,
        )
        return page

    @path("")
    def upcoming(self, request):
        return self.listing(request)

    @path("archives/", name="archive")
    def archive(self, request):
        return self.listing(request, past=True)

    def feed_occurrences(self, request):
        form = self.filter_form(request)
        if form.is_bound and not form.is_valid():
            return None
        since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
        occurrences = public_occurrences(self.locale_id).filter(end__gte=since)
        if form.is_bound:
            occurrences = form.filter(occurrences)
        return occurrences[:FEED_MAX_ITEMS]

    @path("ical/", name="ics")
    def ics(self, request):
        occurrences = self.feed_occurrences(request)
        if occurrences is None:
            return HttpResponse(gettext("Invalid filter."), status=400, content_type="text/plain")
        return calendar_response(request, occurrences, self.title, "agenda")

    @path("rss/", name="rss")
    def rss(self, request):
        occurrences = self.feed_occurrences(request)
        if occurrences is None:
            return HttpResponse(gettext("Invalid filter."), status=400, content_type="text/plain")
        return AgendaFeed(self, occurrences)(request)


class EventPage(SharingMixin, RoutablePageMixin, Page):
    """An event of the commune (under the agenda) or of an association (under its page,
    published after the communication team's approval)."""

    intro = models.TextField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences, shown in the agenda."),
    )
    repeat = models.CharField(
        _("repetition"), max_length=20, choices=Repeat.choices, default=Repeat.NONE, blank=True
    )
    repeat_until = models.DateField(
        _("repeat until"),
        null=True,
        blank=True,
        help_text=_("The first date above is repeated up to this day (at most 104 dates)."),
    )
    place_name = models.CharField(
        _("place"), max_length=150, help_text=_("e.g. Salle Jeanne-d'Arc")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "home.Commune",
        verbose_name=_("commune déléguée"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Where it takes place is one commune déléguée; who it is for may be all of them
    # (the fête communale, the voeux du maire): it then shows under every one.
    whole_commune = models.BooleanField(
        _("for the whole commune"),
        default=False,
        help_text=_(
            "Tick when the event is for the people of every commune déléguée: it is then "
            "listed under each of them."
        ),
    )
    municipal_service = models.CharField(
        _("municipal service"),
        max_length=20,
        choices=MunicipalService.choices,
        blank=True,
        help_text=_("The organiser, for the commune's own events."),
    )
    # Filled from the parent page: an association's events live under its page.
    association = models.ForeignKey(
        "benevolat.AssociationPage",
        verbose_name=_("association"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    category = models.ForeignKey(
        EventCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    is_free = models.BooleanField(_("free"), default=True)
    price = models.CharField(
        _("price"), max_length=150, blank=True, help_text=_("e.g. 5 €, free for under-12s")
    )
    registration = models.CharField(
        _("registration"), max_length=10, choices=Registration.choices, default=Registration.NONE
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    places = models.PositiveIntegerField(
        _("number of places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    registration_details = models.CharField(
        _("how to register"),
        max_length=255,
        blank=True,
        help_text=_("e.g. at the town hall, 02 41 00 00 00, before 10 December"),
    )
    accessibility = models.TextField(
        _("accessibility"),
        max_length=1000,
        blank=True,
        help_text=_("Step-free access, induction loop, sign language, adapted toilets…"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    status_note = models.CharField(
        _("status note"),
        max_length=255,
        blank=True,
        help_text=_("e.g. postponed to spring because of the weather"),
    )
    # A postponed event keeps its new dates as its dates; the day first announced is
    # shown struck through beside them.
    former_date = models.DateField(
        _("former date"),
        null=True,
        blank=True,
        help_text=_(
            "For a postponed event whose new date is known: the day first announced. "
            "Give the new dates above. Leave empty while the new date is unknown."
        ),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("image alternative text"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    related_actions = ParentalManyToManyField(
        "actions.ActionPage",
        verbose_name=_("actions of the plan"),
        blank=True,
        related_name="events",
        help_text=_("The actions of the projet citoyen this event takes part in."),
    )

    def cache_purge_tags(self):
        """Where an event shows: the agenda and its feeds, the home page's next
        events, its actions' pages and its association's page."""
        tags = {"events", "home"} | page_tags(self.related_actions.all())
        if self.association_id:
            tags.add(page_tag(self.association))
        return tags

    def public_related_actions(self):
        if "shown_actions" in self.__dict__:
            return self.shown_actions
        return ActionPage.public_among(self.related_actions)

    def shown_rows(self):
        """The rows the page shows besides its own: they change only when it is
        published (its dates, its actions) or with a new generation (a commune,
        category, image or association renamed or changed, an action unpublished)."""
        # The four rows in one query, the image with its renditions: the page's
        # pictures and its schema.org data find them there rather than in the
        # renditions' cache, one read each.
        joined = (
            type(self)
            .objects.select_related("commune", "category", "association", "image")
            .prefetch_related("image__renditions")
            .get(pk=self.pk)
        )
        return {
            "commune": joined.commune,
            "category": joined.category,
            "association": joined.association,
            "image": joined.image,
            "dates": self.dates,
            "shown_actions": list(self.public_related_actions()),
        }

    def read_shown_rows(self):
        """Take the rows the page shows from the copy kept under the page's own tag,
        the one its cached copies carry: six queries saved on each uncached visit. A
        preview shows the draft's rows, read from the draft."""
        rows = cached_until_published(
            f"event-rows:{self.pk}", self.shown_rows, tags=(page_tag(self),)
        )
        for name in ("commune", "category", "association", "image"):
            if getattr(self, f"{name}_id") is not None:
                # The foreign key's cache, as select_related() fills it.
                self._meta.get_field(name).set_cached_value(self, rows[name])
        self.__dict__["dates"] = rows["dates"]
        self.__dict__["shown_actions"] = rows["shown_actions"]

    # Associations post events: only their own images, no municipal service (see the form).
    base_form_class = EventPageAdminForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                InlinePanel(
                    "occurrences",
                    label=_("Date"),
                    add_label=_("Add a date"),
                    min_num=1,
                    max_num=MAX_OCCURRENCES,
                ),
                FieldRowPanel([FieldPanel("repeat"), FieldPanel("repeat_until")]),
            ],
            heading=_("Dates"),
            help_text=_(
                "Dates added by the repetition are computed again at each save: to change "
                "one, end the repetition earlier and add the following dates by hand."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place_name"),
                FieldPanel("address"),
                FieldPanel("commune"),
                FieldPanel("whole_commune"),
            ],
            heading=_("Place"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("municipal_service"),
                FieldPanel("category", widget=forms.Select),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("price")]),
            ],
            heading=_("Organiser and audience"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration"),
                FieldPanel("registration_url"),
                FieldRowPanel([FieldPanel("places"), FieldPanel("registration_details")]),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("accessibility"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("status_note"), FieldPanel("former_date")],
            heading=_("Status"),
        ),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
        FieldPanel("related_actions", widget=forms.CheckboxSelectMultiple),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("place_name"),
        index.SearchField("body"),
        index.FilterField("status"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        TranslatableField("price"),
        TranslatableField("registration_details"),
        TranslatableField("accessibility"),
        TranslatableField("status_note"),
        TranslatableField("image_alt"),
        TranslatableField("body"),
        SynchronizedField("occurrences"),
        SynchronizedField("repeat"),
        SynchronizedField("repeat_until"),
        SynchronizedField("place_name"),
        SynchronizedField("address"),
        SynchronizedField("commune"),
        SynchronizedField("whole_commune"),
        SynchronizedField("municipal_service"),
        SynchronizedField("category"),
        SynchronizedField("audience"),
        SynchronizedField("is_free"),
        SynchronizedField("registration"),
        SynchronizedField("registration_url"),
        SynchronizedField("places"),
        SynchronizedField("status"),
        SynchronizedField("former_date"),
        SynchronizedField("image"),
        SynchronizedField("related_actions"),
    ]

    parent_page_types = ["events.EventIndexPage", "benevolat.AssociationPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    # --- invariants -------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.repeat and not self.repeat_until:
            errors["repeat_until"] = gettext("Say until which day the event is repeated.")
        if self.repeat_until and not self.repeat:
            errors["repeat"] = gettext("Choose how the event is repeated, or clear the end day.")
        if not self.is_free and not self.price:
            errors["price"] = gettext("Give the price, or tick “free”.")
        if self.registration == Registration.LINK and not self.registration_url:
            errors["registration_url"] = gettext("Give the registration link.")
        if self.registration == Registration.PLACES and not (
            self.places or self.registration_details
        ):
            errors["registration_details"] = gettext(
                "Say how many places there are or how to register."
            )
        if self.image_id and not self.image_alt:
            errors["image_alt"] = gettext(
                "Describe the image for people who cannot see it (alternative text)."
            )
        if self.status in (EventStatus.POSTPONED, EventStatus.CANCELLED) and not self.status_note:
            errors["status_note"] = gettext("Tell the public why, and what happens next.")
        if self.former_date and self.status != EventStatus.POSTPONED:
            errors["former_date"] = gettext("A former date is for a postponed event only.")
        manual = self.manual_occurrences()
        if self.repeat_until and manual and self.repeat_until < manual[0].local_start.date():
            errors["repeat_until"] = gettext("The repetition must end after the first date.")
        if errors:
            raise ValidationError(errors)

    # --- dates --------------------------------------------------------------------------

    def manual_occurrences(self):
        rows = [row for row in self.occurrences.all() if not row.generated and row.start]
        return sorted(rows, key=lambda row: row.start)

    def expand_repetition(self):
        """Replace the rows of the repetition rule by the dates it gives now. Local
        times are kept: an event at 20:00 stays at 20:00 across the change of time."""
        manual = self.manual_occurrences()
        existing = {row.start: row for row in self.occurrences.all() if row.generated}
        rows = list(manual)
        if self.repeat and self.repeat_until and manual:
            first = manual[0]
            start, end = first.local_start, first.local_end
            taken = {row.start for row in manual}
            for new_start, new_end in repeated_times(start, end, self.repeat, self.repeat_until):
                if new_start in taken:
                    continue
                row = existing.get(new_start) or EventOccurrence(generated=True)
                row.start, row.end, row.all_day = new_start, new_end, first.all_day
                rows.append(row)
        for row in rows:
            if row.all_day:
                row.start, row.end = whole_days(row.local_start, row.local_end)
        rows.sort(key=lambda row: row.start)
        for order, row in enumerate(rows):
            row.sort_order = order
        self.occurrences = rows

    def set_association(self):
        parent = self.get_parent() if self.path else None
        self.association = (
            parent.specific
            if parent is not None and parent.specific_class is AssociationPage
            else None
        )

    def save(self, *args, **kwargs):
        self.expand_repetition()
        self.set_association()
        return super().save(*args, **kwargs)

    def save_revision(self, *args, **kwargs):
        # The revision holds the computed dates, so that previews and publishing
        # show exactly what the agenda will list.
        self.expand_repetition()
        return super().save_revision(*args, **kwargs)

    @cached_property
    def dates(self):
        return list(self.occurrences.all().order_by("start"))

    def upcoming_dates(self):
        now = timezone.now()
        return [row for row in self.dates if row.end >= now]

    def next_date(self):
        upcoming = self.upcoming_dates()
        if upcoming:
            return upcoming[0]
        return self.dates[-1] if self.dates else None

    @property
    def is_past(self):
        return bool(self.dates) and all(row.is_past for row in self.dates)

    # --- what the pages and feeds show -----------------------------------------------------

    @property
    def is_ceremony(self):
        # Looked up in the app registry: CeremonyPage extends this class, so its module
        # imports this one.
        return self.specific_class is apps.get_model("events", "CeremonyPage")

    @property
    def organiser_name(self):
        if self.association_id:
            return self.association.title
        if self.municipal_service:
            return self.get_municipal_service_display()
        return gettext("Town hall")

    @property
    def status_is_notable(self):
        return self.status != EventStatus.SCHEDULED

    @property
    def dates_are_void(self):
        """Its dates no longer hold: cancelled, or postponed to a date not yet known.
        They are shown struck through, with nothing to add to a calendar."""
        return self.status == EventStatus.CANCELLED or (
            self.status == EventStatus.POSTPONED and not self.former_date
        )

    @property
    def ical_status(self):
        return ICAL_STATUS[self.status]

    def summary_with_status(self):
        if self.status_is_notable:
            return f"{self.get_status_display()} : {self.title}"
        return self.title

    @property
    def ics_url(self):
        return self.url + self.reverse_subpage("ics")

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False) and self.pk and self.live:
            self.read_shown_rows()
        context = super().get_context(request, *args, **kwargs)
        context["agenda"] = agenda_for_locale(self.locale_id)
        return context

    @path("ical/", name="ics")
    def ics(self, request):
        occurrences = occurrences_for_listing().filter(page=self)
        return calendar_response(request, occurrences, self.title, self.slug)


def home_highlight(home, agenda, commune=None, limit=4):
    """The home page's highlight: the next dates of the agenda (the home page's
    child, or None), with their pictures; in the visitor's commune déléguée when they
    chose one and something is coming up there, else in the whole commune. And the
    quick action "subscribe to the agenda"."""
    items = []
    near = False
    if agenda is not None:
        upcoming = (
            agenda.occurrences()
            .select_related("page__image")
            .prefetch_related("page__image__renditions")
        )
        if commune is not None:
            items = list(upcoming.filter(page__commune=commune)[:limit])
            near = bool(items)
        if not items:
            items = list(upcoming[:limit])
    subscribe = []
    if agenda is not None:
        subscribe = [
            {
                "label": _("Subscribe to the agenda"),
                "url": agenda.url + "#agenda-subscribe-title",
                "icon": "calendar-plus",
            }
        ]
    return {
        "quick_actions": subscribe,
        "near": near,
        "title": _("Coming up"),
        "template": "events/includes/next_events.html",
        "items": items,
        "more_url": (
            f"{agenda.url}?commune={commune.slug}" if near else agenda.url if agenda else ""
        ),
        "more_label": (
            _("See the agenda of %(commune)s") % {"commune": commune.name}
            if near
            else _("See the whole agenda")
        ),
    }


def agenda_for_locale(locale_id):
    """The agenda of a language, read once per generation: event pages show only its
    address, and unpublishing, moving or renaming it starts a new one."""
    return cached_until_published(
        f"agenda-page:{locale_id}",
        lambda: EventIndexPage.objects.live().filter(locale_id=locale_id).first(),
    )
