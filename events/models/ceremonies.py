"""The citizen ceremonies of the commune (plan action 31) and their sign-ups and
nominations."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.admin_french import InlinePanel
from home.dates import day as format_day
from home.dates import hour as format_hour
from home.forms import handle_public_form
from home.models import CommuneSettings
from home.page_cache import page_tag
from home.rgpd import CONSENT, Processing, mentions
from notifications.models import OutgoingEmail

from ..recurrence import PARIS
from .agenda import EventPage
from .vocabulary import EventStatus, MunicipalService


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
        InlinePanel(
            "occurrences", label=_("Date"), add_label=_("Add a date"), min_num=1, max_num=3
        ),
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
        # events.forms builds its fields from these models: importing it above would be
        # an import cycle.
        from ..forms import CeremonyRegistrationForm

        return CeremonyRegistrationForm(data, ceremony=self)

    @path("")
    def ceremony(self, request):
        def render(form, refusal, status):
            context = {**self.get_context(request), "form": form, "refusal": refusal}
            return TemplateResponse(request, self.get_template(request), context, status=status)

        return handle_public_form(
            request,
            make_form=lambda data=None, files=None: self.registration_form(data),
            save=lambda form: form.save_and_notify(request),
            thanks=lambda stored: self.thanks_redirect(request, stored),
            render=render,
            scope="ceremony",
            closed=self.registration_closed_reason(),
        )

    def thanks_redirect(self, request, registration):
        if registration is not None:  # the thank-you page repeats what was sent
            request.session[THANKS_SESSION_KEY] = registration.pk
        return HttpResponseRedirect(self.url + self.reverse_subpage("thanks"), status=303)

    @path("merci/", name="thanks")
    def thanks(self, request):
        context = self.get_context(request)
        pk = request.session.get(THANKS_SESSION_KEY)
        context["registration"] = (
            self.registrations.filter(pk=pk).first() if isinstance(pk, int) else None
        )
        return TemplateResponse(request, "events/ceremony_thanks.html", context)


THANKS_SESSION_KEY = "ceremony_registration"

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

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add a ceremony sign-up")
    admin_empty_message = _("No sign-up for a ceremony yet.")

    class Meta:
        verbose_name = _("ceremony sign-up")
        verbose_name_plural = _("ceremony sign-ups")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} — {self.ceremony.title}"

    def cache_purge_tags(self):
        # The places left show on the ceremony's page alone.
        return {page_tag(self.ceremony)}

    @classmethod
    def purge_personal_data(cls, now):
        return cls.objects.filter(created_at__lt=now - cls.RETENTION).delete()[0]

    @classmethod
    def personal_data_of(cls, email):
        """The registrations made with `email`, or naming it as the nominee's contact
        (their address is theirs too: they may ask for it as well). The contact is
        free text: the database narrows the candidates, `mentions` keeps those that
        hold the whole address, not one that merely contains it."""
        email = email.strip()
        candidates = cls.objects.filter(
            models.Q(email__iexact=email) | models.Q(nominee_contact__icontains=email)
        ).order_by("pk")
        return [
            row
            for row in candidates
            if row.email.strip().lower() == email.lower() or mentions(row.nominee_contact, email)
        ]

    @classmethod
    def erase_personal_data(cls, email):
        """A person's own registrations go; where they were only the nominee, their
        contact goes and the registration of the person who nominated them stays."""
        rows = cls.personal_data_of(email)
        own = [row.pk for row in rows if row.email.strip().lower() == email.strip().lower()]
        nominated = [row.pk for row in rows if row.pk not in own]
        cls.objects.filter(pk__in=own).delete()
        cls.objects.filter(pk__in=nominated).update(nominee_contact="")
        return len(rows)

    def queue_emails(self, request):
        context = {
            "commune_name": CommuneSettings.for_request(request).commune_name,
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

    def sent_rows(self):
        """What the citizen sent, as (label, value) rows for the staff: only the fields
        this ceremony's form asked for and the citizen filled, never an empty row."""

        def label(name):
            return capfirst(self._meta.get_field(name).verbose_name)

        def day(value):
            return format_day(value, "j F Y")

        rows = [
            (label("ceremony"), self.ceremony.title),
            (label("name"), self.name),
            (label("email"), self.email),
            (label("phone"), self.phone),
            (label("child_name"), self.child_name),
            (label("child_birth_date"), day(self.child_birth_date)),
            (label("birth_date"), day(self.birth_date)),
            (label("nominee_name"), self.nominee_name),
            (label("nominee_contact"), self.nominee_contact),
            (label("reason"), self.reason),
            (label("guests"), str(self.guests)),
        ]
        if self.created_at:
            local = timezone.localtime(self.created_at, PARIS)
            sent_at = gettext("%(date)s at %(time)s") % {
                "date": format_day(local, "j F Y"),
                "time": format_hour(local),
            }
            rows.append((label("created_at"), sent_at))
        return [(name, value) for name, value in rows if value]

    DECISION_EMAILS = {
        Status.CONFIRMED: "events/emails/ceremony_confirmed",
        Status.DECLINED: "events/emails/ceremony_declined",
    }

    def queue_decision_email(self, request):
        """Tell the citizen the staff confirmed or declined what they sent. Called when
        the status changes to one of these, so saving again sends nothing more."""
        template = self.DECISION_EMAILS.get(self.status)
        if not template:
            return
        ceremony = self.ceremony
        occurrence = ceremony.next_date()
        place = [ceremony.place_name, ceremony.address, ceremony.commune.name]
        context = {
            "commune_name": CommuneSettings.for_request(request).commune_name,
            "registration": self,
            "ceremony": ceremony,
            "start": timezone.localtime(occurrence.start, PARIS) if occurrence else None,
            "place": ", ".join(part for part in place if part),
            "ceremony_url": ceremony.get_full_url(request),
        }
        OutgoingEmail.queue(self.email, template, context)

    @transaction.atomic
    def save_and_notify(self, request):
        self.save()
        self.queue_emails(request)
