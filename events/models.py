"""The agenda (plan actions 18 and 31): events of the commune and of its associations,
the citizen ceremonies and their sign-ups, and the calendar feeds."""

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BodyBlock
from home.models import SharingMixin, restricted_paths
from home.rgpd import CONSENT, Processing

PARIS = ZoneInfo("Europe/Paris")
# A repeated event never expands into more rows than this, whatever its end date.
MAX_OCCURRENCES = 104
EVENTS_PER_PAGE = 20
# Calendar subscriptions receive the upcoming dates and those of the last weeks.
FEED_PAST_DAYS = 30
FEED_MAX_ITEMS = 500


@register_snippet
class EventCategory(models.Model):
    """A kind of event the agenda can be filtered by (concert, sport, réunion publique…)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MunicipalService(models.TextChoices):
    MAIRIE = "mairie", _("Town hall")
    CCAS = "ccas", _("CCAS (social services)")
    CULTURE = "culture", _("Culture department")
    LIBRARY = "mediatheque", _("Libraries")
    YOUTH = "jeunesse", _("Childhood and youth department")
    SPORTS = "sports", _("Sports department")
    COUNCIL = "conseil", _("Municipal council")
    CHILDREN_COUNCIL = "cme", _("Children's municipal council")


class Audience(models.TextChoices):
    EVERYONE = "tout-public", _("Everyone")
    FAMILIES = "familles", _("Families")
    CHILDREN = "enfants", _("Children")
    YOUTH = "jeunes", _("Young people")
    SENIORS = "seniors", _("Seniors")
    ADULTS = "adultes", _("Adults")


class EventStatus(models.TextChoices):
    SCHEDULED = "prevu", _("Scheduled")
    POSTPONED = "reporte", _("Postponed")
    CANCELLED = "annule", _("Cancelled")
    FULL = "complet", _("Full")


# How each status reads in iCalendar (RFC 5545 STATUS) and in schema.org.
ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.FULL: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}
SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.FULL: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}


class Registration(models.TextChoices):
    NONE = "aucune", _("No registration needed")
    LINK = "lien", _("Registration through a link")
    PLACES = "places", _("Limited places, registration required")


class Repeat(models.TextChoices):
    NONE = "", _("Not repeated")
    WEEKLY = "hebdomadaire", _("Every week")
    MONTHLY_DAY = "mensuel-date", _("Every month, on the same date")
    MONTHLY_WEEKDAY = "mensuel-jour", _("Every month, on the same weekday (e.g. 2nd Tuesday)")


def nth_weekday(year, month, weekday, nth):
    """The `nth` (1–5) `weekday` of the month, or None when the month has no such day."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    return days[nth - 1] if nth <= len(days) else None


def repeated_days(first_day, repeat, until):
    """The days after `first_day` on which a repeated event takes place, up to `until`."""
    days = []
    if repeat == Repeat.WEEKLY:
        day = first_day + timedelta(days=7)
        while day <= until and len(days) < MAX_OCCURRENCES - 1:
            days.append(day)
            day += timedelta(days=7)
        return days
    nth = (first_day.day - 1) // 7 + 1
    year, month = first_day.year, first_day.month
    while len(days) < MAX_OCCURRENCES - 1:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        if date(year, month, 1) > until:
            break
        if repeat == Repeat.MONTHLY_DAY:
            # A 31st is skipped in the months that have none, as calendars do.
            if first_day.day > calendar.monthrange(year, month)[1]:
                continue
            day = date(year, month, first_day.day)
        else:
            day = nth_weekday(year, month, first_day.weekday(), nth)
            if day is None:
                continue
        if day <= until:
            days.append(day)
    return days


class EventOccurrence(Orderable):
    """One date of an event: what the agenda lists, and one entry of the calendar feeds.

    Editors enter dates by hand; the dates of a repetition rule are added as rows too
    (`generated`), computed again at each save of the page.
    """

    page = ParentalKey("events.EventPage", related_name="occurrences", on_delete=models.CASCADE)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(
        _("all day"), default=False, help_text=_("The times are then ignored.")
    )
    generated = models.BooleanField(_("added by the repetition"), default=False, editable=False)

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")]

    class Meta(Orderable.Meta):
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        indexes = [models.Index(fields=["start"]), models.Index(fields=["end"])]

    def __str__(self):
        return f"{self.page_id} {self.start:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": gettext("The event must end after it starts.")})

    @property
    def local_start(self):
        return timezone.localtime(self.start, PARIS)

    @property
    def local_end(self):
        return timezone.localtime(self.end, PARIS)

    @property
    def day(self):
        return self.local_start.date()

    @property
    def spans_several_days(self):
        return self.local_end.date() > self.local_start.date()

    @property
    def is_past(self):
        return self.end < timezone.now()

    def uid(self, host):
        # Stable as long as the date does not move, identical in every language
        # (translations share the translation key): calendars update, not duplicate.
        return f"{self.page.translation_key}-{self.start.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M%SZ}@{host}"


def occurrences_for_listing():
    """Occurrences with what the listing shows of their page, in one query."""
    return EventOccurrence.objects.select_related(
        "page", "page__commune", "page__category", "page__association"
    ).order_by("start", "page_id", "pk")


def public_occurrences(locale_id):
    """The dates of live events in one language, leaving out pages kept private
    (the view restrictions are read from the cache, whatever the number of events)."""
    occurrences = occurrences_for_listing().filter(page__live=True, page__locale_id=locale_id)
    for private_path in restricted_paths():
        occurrences = occurrences.exclude(page__path__startswith=private_path)
    return occurrences


class EventIndexPage(SharingMixin, RoutablePageMixin, Page):
    """The agenda: the upcoming dates of every event and ceremony, filtered, paginated,
    with its archive and its calendar and RSS feeds."""

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

    def filter_form(self, request):
        from .forms import AgendaFilterForm

        return AgendaFilterForm(request.GET or None, locale_id=self.locale_id)

    def feed_query(self, request):
        """The current filters, to carry into the feed links and pagination."""
        query = request.GET.copy()
        query.pop("page", None)
        return query.urlencode()

    def listing(self, request, past=False):
        from django.core.paginator import Paginator

        form = self.filter_form(request)
        occurrences = self.occurrences(past=past)
        status = 200
        if form.is_bound:
            if form.is_valid():
                occurrences = form.filter(occurrences)
            else:
                occurrences = occurrences.none()
                status = 400
        page_obj = Paginator(occurrences, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        query = self.feed_query(request)
        suffix = f"?{query}" if query else ""
        context = {
            **self.get_context(request),
            "filter_form": form,
            "page_obj": page_obj,
            "occurrences": page_obj.object_list,
            "past": past,
            "is_filtered": bool(query),
            "ics_url": self.url + self.reverse_subpage("ics") + suffix,
            "rss_url": self.url + self.reverse_subpage("rss") + suffix,
            "archive_url": self.url + self.reverse_subpage("archive"),
        }
        return TemplateResponse(request, self.get_template(request), context, status=status)

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
        from .feeds import calendar_response

        occurrences = self.feed_occurrences(request)
        if occurrences is None:
            return HttpResponse(gettext("Invalid filter."), status=400, content_type="text/plain")
        return calendar_response(request, occurrences, self.title, "agenda")

    @path("rss/", name="rss")
    def rss(self, request):
        from .feeds import AgendaFeed

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

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                InlinePanel("occurrences", label=_("Date"), min_num=1, max_num=MAX_OCCURRENCES),
                FieldRowPanel([FieldPanel("repeat"), FieldPanel("repeat_until")]),
            ],
            heading=_("Dates"),
            help_text=_(
                "Dates added by the repetition are computed again at each save: to change "
                "one, end the repetition earlier and add the following dates by hand."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("place_name"), FieldPanel("address"), FieldPanel("commune")],
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
        MultiFieldPanel([FieldPanel("status"), FieldPanel("status_note")], heading=_("Status")),
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
        SynchronizedField("municipal_service"),
        SynchronizedField("category"),
        SynchronizedField("audience"),
        SynchronizedField("is_free"),
        SynchronizedField("registration"),
        SynchronizedField("registration_url"),
        SynchronizedField("places"),
        SynchronizedField("status"),
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
            for day in repeated_days(start.date(), self.repeat, self.repeat_until):
                new_start = datetime.combine(day, start.time(), tzinfo=PARIS)
                new_end = datetime.combine(day + (end.date() - start.date()), end.time(), PARIS)
                if new_start in taken:
                    continue
                row = existing.get(new_start) or EventOccurrence(generated=True)
                row.start, row.end, row.all_day = new_start, new_end, first.all_day
                rows.append(row)
        for row in rows:
            if row.all_day:
                # An all-day event runs from midnight to the end of its last day.
                local_start, local_end = row.local_start, row.local_end
                row.start = datetime.combine(local_start.date(), time.min, PARIS)
                row.end = datetime.combine(local_end.date(), time(23, 59), PARIS)
        rows.sort(key=lambda row: row.start)
        for order, row in enumerate(rows):
            row.sort_order = order
        self.occurrences = rows

    def set_association(self):
        from bénévolat.models import AssociationPage

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
        return self.specific_class is CeremonyPage

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
    def ical_status(self):
        return ICAL_STATUS[self.status]

    def summary_with_status(self):
        if self.status_is_notable:
            return f"{self.get_status_display()} : {self.title}"
        return self.title

    def json_ld(self, request):
        """schema.org Event data: one Event per upcoming date (or the last one)."""
        url = self.get_full_url(request)
        location = {
            "@type": "Place",
            "name": self.place_name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": self.address,
                "addressLocality": self.commune.name,
                "postalCode": "49800",
                "addressRegion": "Maine-et-Loire",
                "addressCountry": "FR",
            },
        }
        organizer = {"@type": "Organization", "name": self.organiser_name}
        if self.association_id:
            organizer["url"] = self.association.get_full_url(request)
        dates = self.upcoming_dates()[:20] or self.dates[-1:]
        # Once for all the dates: looking a rendition up costs as much as the rest.
        image_url = ""
        if self.image_id:
            rendition = self.image.get_rendition("fill-1200x630|format-jpeg")
            image_url = request.build_absolute_uri(rendition.url)
        events = []
        for row in dates:
            event = {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": self.title,
                "url": url,
                "startDate": (row.day if row.all_day else row.local_start).isoformat(),
                "endDate": (row.local_end.date() if row.all_day else row.local_end).isoformat(),
                "eventStatus": SCHEMA_STATUS[self.status],
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "location": location,
                "organizer": organizer,
                "isAccessibleForFree": self.is_free,
                "inLanguage": self.locale.language_code,
            }
            if self.intro or self.search_description:
                event["description"] = self.search_description or self.intro
            if not self.is_free and self.price:
                event["offers"] = {"@type": "Offer", "description": self.price, "url": url}
            if self.status == EventStatus.FULL:
                # schema.org has no "full" event status: its offers are sold out.
                event.setdefault("offers", {"@type": "Offer", "url": url})
                event["offers"]["availability"] = "https://schema.org/SoldOut"
            if image_url:
                event["image"] = image_url
            events.append(event)
        return events[0] if len(events) == 1 else events

    @property
    def ics_url(self):
        return self.url + self.reverse_subpage("ics")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["agenda"] = agenda_for_locale(self.locale_id)
        return context

    @path("ical/", name="ics")
    def ics(self, request):
        from .feeds import calendar_response

        occurrences = occurrences_for_listing().filter(page=self)
        return calendar_response(request, occurrences, self.title, self.slug)


class CeremonyKind(models.TextChoices):
    BIRTH = "naissance", _("Birth")
    CITIZENSHIP = "citoyennete", _("Coming of age and citizenship")
    PARENTHOOD = "parentalite", _("Parenthood")
    WEDDING = "mariage-pacs", _("Wedding and civil union")
    VOLUNTEERS = "benevoles", _("Thanking volunteers")
    FEAT = "exploit", _("Congratulations for a sporting, school or professional feat")


class CeremonyPage(EventPage):
    """A citizen ceremony of the commune (plan action 31), listed in the agenda, with
    its sign-up or nomination form."""

    kind = models.CharField(_("kind of ceremony"), max_length=20, choices=CeremonyKind.choices)
    venue_partner = models.CharField(
        _("venue partner"),
        max_length=150,
        blank=True,
        help_text=_("When the ceremony takes place somewhere unusual: who welcomes it."),
    )
    partners = models.TextField(
        _("partners"),
        max_length=1000,
        blank=True,
        help_text=_("One partner per line."),
    )
    programme = RichTextField(
        _("programme"), features=["bold", "italic", "link", "ul", "ol"], blank=True
    )
    registration_open = models.BooleanField(
        _("sign-ups open"),
        default=True,
        help_text=_("Untick to close the form (it also closes once the ceremony is over)."),
    )
    registration_closes = models.DateField(
        _("sign-ups close on"),
        null=True,
        blank=True,
        help_text=_("Last day of sign-ups; empty: until the ceremony."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        InlinePanel("occurrences", label=_("Date"), min_num=1, max_num=3),
        MultiFieldPanel(
            [
                FieldPanel("place_name"),
                FieldPanel("address"),
                FieldPanel("commune"),
                FieldPanel("venue_partner"),
            ],
            heading=_("Place"),
        ),
        FieldPanel("partners"),
        FieldPanel("programme"),
        MultiFieldPanel(
            [FieldPanel("registration_open"), FieldPanel("registration_closes")],
            heading=_("Sign-ups and nominations"),
        ),
        FieldPanel("accessibility"),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("status_note")], heading=_("Status")),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")),
        FieldPanel("body"),
        FieldPanel("related_actions", widget=forms.CheckboxSelectMultiple),
    ]

    translatable_fields = [
        *EventPage.translatable_fields,
        SynchronizedField("kind"),
        TranslatableField("venue_partner"),
        TranslatableField("partners"),
        TranslatableField("programme"),
        SynchronizedField("registration_open"),
        SynchronizedField("registration_closes"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("ceremony")
        verbose_name_plural = _("ceremonies")

    def save(self, *args, **kwargs):
        self.municipal_service = self.municipal_service or MunicipalService.MAIRIE
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        first = self.manual_occurrences()[:1]
        if first and self.registration_closes and self.registration_closes > first[0].day:
            raise ValidationError(
                {"registration_closes": gettext("Sign-ups must close by the day of the ceremony.")}
            )

    def partner_list(self):
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def registration_closed_reason(self, now=None):
        """Why the form is closed (a French sentence), or "" while it is open."""
        now = now or timezone.now()
        if self.dates and self.dates[0].start <= now:
            return gettext("This ceremony has taken place: sign-ups are closed.")
        if self.status == EventStatus.CANCELLED:
            return gettext("This ceremony is cancelled: sign-ups are closed.")
        if not self.registration_open or self.status == EventStatus.FULL:
            return gettext("Sign-ups for this ceremony are closed.")
        if self.registration_closes and self.registration_closes < timezone.localdate(now, PARIS):
            return gettext("The sign-up period for this ceremony is over.")
        return ""

    @property
    def form_title(self):
        return CEREMONY_FORM_TITLES[self.kind]

    def registration_form(self, data=None):
        from .forms import CeremonyRegistrationForm

        return CeremonyRegistrationForm(data, ceremony=self)

    @path("")
    def ceremony(self, request):
        from home.forms import RATE_LIMIT_MESSAGE, already_stored, rate_limit_exceeded, store_once

        closed_reason = self.registration_closed_reason()
        form = None if closed_reason else self.registration_form()
        status = 200
        if request.method == "POST":
            if closed_reason:
                status = 403
            else:
                form = self.registration_form(request.POST)
                thanks = self.url + self.reverse_subpage("thanks")
                if form.is_valid():
                    if already_stored(form):
                        return HttpResponseRedirect(thanks)
                    if rate_limit_exceeded(request, "ceremony"):
                        form.add_error(None, RATE_LIMIT_MESSAGE)
                        status = 429
                    else:
                        store_once(form, lambda: form.save_and_notify(request))
                        return HttpResponseRedirect(thanks)
                else:
                    status = 400
        context = {**self.get_context(request), "form": form, "closed_reason": closed_reason}
        return TemplateResponse(request, self.get_template(request), context, status=status)

    @path("merci/", name="thanks")
    def thanks(self, request):
        context = self.get_context(request)
        return TemplateResponse(request, "events/ceremony_thanks.html", context)


CEREMONY_FORM_TITLES = {
    CeremonyKind.BIRTH: _("Register a birth"),
    CeremonyKind.CITIZENSHIP: _("Sign up for the citizenship ceremony"),
    CeremonyKind.PARENTHOOD: _("Sign up for the ceremony"),
    CeremonyKind.WEDDING: _("Sign up for the ceremony"),
    CeremonyKind.VOLUNTEERS: _("Nominate a volunteer"),
    CeremonyKind.FEAT: _("Nominate a feat to celebrate"),
}


class CeremonyRegistration(models.Model):
    """A sign-up to a ceremony or a nomination, processed by the commune's staff."""

    # Kept one year after it was sent: long enough for the ceremony and its follow-up.
    RETENTION = timedelta(days=365)
    personal_data = Processing(
        name=_("Ceremony sign-ups and nominations"),
        data=_(
            "Your name, email and phone; depending on the ceremony, a child's first name "
            "and date of birth, your date of birth, the person nominated and why."
        ),
        purpose=_("Organise the ceremony and contact you about it."),
        legal_basis=CONSENT,
        recipients=_("The town hall staff in charge of ceremonies."),
        retention=RETENTION,
        retention_note=_("Counted from the day it was sent."),
        order=50,
    )

    class Status(models.TextChoices):
        RECEIVED = "recue", _("received")
        CONFIRMED = "confirmee", _("confirmed")
        DECLINED = "refusee", _("declined")

    ceremony = models.ForeignKey(
        CeremonyPage,
        verbose_name=_("ceremony"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    child_name = models.CharField(_("child's first name"), max_length=100, blank=True)
    child_birth_date = models.DateField(_("child's date of birth"), null=True, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nominee_name = models.CharField(_("person or team nominated"), max_length=150, blank=True)
    nominee_contact = models.CharField(
        _("how to reach the person nominated"), max_length=255, blank=True
    )
    reason = models.TextField(_("why"), max_length=2000, blank=True)
    guests = models.PositiveSmallIntegerField(
        _("number of people"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    staff_note = models.TextField(_("staff note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ceremony sign-up")
        verbose_name_plural = _("ceremony sign-ups")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} — {self.ceremony.title}"

    @classmethod
    def purge_personal_data(cls, now):
        return cls.objects.filter(created_at__lt=now - cls.RETENTION).delete()[0]

    @classmethod
    def personal_data_of(cls, email):
        # A nominee's address is theirs too: they may ask for it as well.
        email = email.strip()
        return cls.objects.filter(
            models.Q(email__iexact=email) | models.Q(nominee_contact__icontains=email)
        )

    @classmethod
    def erase_personal_data(cls, email):
        return cls.personal_data_of(email).delete()[0]

    def queue_emails(self, request):
        from notifications.models import OutgoingEmail

        context = {
            "registration": self,
            "ceremony": self.ceremony,
            "ceremony_url": self.ceremony.get_full_url(request),
            "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("ceremony_registrations:edit", args=[self.pk]),
        }
        OutgoingEmail.queue(self.email, "events/emails/ceremony_confirmation", context)
        OutgoingEmail.queue(
            settings.STAFF_NOTIFICATION_EMAIL,
            "events/emails/ceremony_staff_notice",
            context,
            reply_to=self.email,
        )

    @transaction.atomic
    def save_and_notify(self, request):
        self.save()
        self.queue_emails(request)


def home_highlight(home, agenda, limit=4):
    """The home page's highlight: the next dates of the agenda (the home page's
    child, or None)."""
    items = []
    if agenda is not None:
        items = list(agenda.occurrences()[:limit])
    return {
        "title": _("Coming up"),
        "template": "events/includes/next_events.html",
        "items": items,
        "more_url": agenda.url if agenda else "",
        "more_label": _("See the whole agenda"),
    }


def agenda_for_locale(locale_id):
    return EventIndexPage.objects.live().filter(locale_id=locale_id).first()
