"""What residents ask the fund for, how the team instructs it up to the committee's
decision, the partners who give materials or skills, and what is published of the
projects supported."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.photos import private_storage
from home.rgpd import CONSENT, Processing
from notifications.models import OutgoingEmail

# What an application keeps, and for how long (said on the form, applied by
# `purge_personal_data`): the applicant's name, email, phone and attachment two
# years after sending, the time for a project to be decided and carried out; then an
# application not granted is deleted, a granted one keeps only the project.
PERSONAL_DATA_RETENTION = timedelta(days=2 * 365)

TRACKING_SALT = "fonds.application.tracking"


def attachment_path(instance, filename):
    # The applicant's file name is never kept: a random name nobody can guess.
    extension = "pdf" if filename.lower().endswith(".pdf") else "jpg"
    return f"fonds/{uuid.uuid4().hex}.{extension}"


class Partner(models.Model):
    """A company, a municipal service or an association that gives the fund's projects
    materials or skills (skills sponsorship by employees of local companies)."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        SERVICE = "service", _("municipal service")
        ASSOCIATION = "association", _("association")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    offers = models.TextField(
        _("what they offer"),
        max_length=1000,
        help_text=_("Materials, skills, loans… as the partner agreed to give them."),
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active partner"), default=True)

    class Meta:
        verbose_name = _("fund partner")
        verbose_name_plural = _("fund partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApplicationQuerySet(models.QuerySet):
    def granted(self):
        return self.filter(status__in=Application.GRANTED_STATUSES)

    def published(self):
        return self.granted().filter(is_published=True)


class Application(models.Model):
    """An application to the fund, sent by a collective of residents or an association,
    without an account: the applicant follows it through a private link."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        IN_REVIEW = "in_review", _("under review")
        INFO_REQUESTED = "info_requested", _("more information requested")
        COMMITTEE = "committee", _("presented to the committee")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        DONE = "done", _("carried out")

    GRANTED_STATUSES = (Status.GRANTED, Status.DONE)

    class Carrier(models.TextChoices):
        COLLECTIVE = "collective", _("A collective of residents")
        ASSOCIATION = "association", _("An association")

    fund_page = models.ForeignKey(
        "fonds.FundPage",
        verbose_name=_("fund page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        editable=False,
    )
    title = models.CharField(_("project title"), max_length=150)
    summary = models.TextField(_("the project"), max_length=3000)
    commune = models.ForeignKey(
        "home.Commune",
        verbose_name=_("commune déléguée"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    carrier = models.CharField(_("carried by"), max_length=20, choices=Carrier.choices)
    association = models.ForeignKey(
        "benevolat.AssociationPage",
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fund_applications",
    )
    collective_name = models.CharField(_("name of the collective"), max_length=150, blank=True)
    amount_requested = models.DecimalField(
        _("amount requested (euros)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    materials_requested = models.TextField(_("materials requested"), max_length=1000, blank=True)
    skills_requested = models.TextField(_("skills requested"), max_length=1000, blank=True)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    attachment = models.FileField(
        _("photo or document"),
        upload_to=attachment_path,
        storage=private_storage,
        blank=True,
        max_length=200,
    )
    contact_name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(max_length=8, default="fr", editable=False)
    created_at = models.DateTimeField(_("received on"), default=timezone.now, db_index=True)

    # The team's instruction.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    service = models.CharField(
        _("service in charge"),
        max_length=100,
        blank=True,
        help_text=_("The municipal service that instructs the application."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        max_length=5000,
        help_text=_("Read by the fund's team only, never sent nor published."),
    )
    info_request = models.TextField(
        _("information requested"),
        blank=True,
        max_length=3000,
        help_text=_("What the applicant is asked to add; they answer through their link."),
    )
    info_requested_at = models.DateTimeField(_("information requested on"), null=True, blank=True)
    info_answer = models.TextField(_("applicant's answer"), blank=True, max_length=3000)
    info_answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    committee_date = models.DateField(_("committee meeting"), null=True, blank=True)

    # The committee's decision.
    granted_amount = models.DecimalField(
        _("amount granted (euros)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    granted_materials = models.TextField(_("materials granted"), max_length=1000, blank=True)
    granted_skills = models.TextField(_("skills granted"), max_length=1000, blank=True)
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partners"), blank=True, related_name="applications"
    )
    refusal_reason = models.TextField(
        _("reason for the refusal"),
        blank=True,
        max_length=3000,
        help_text=_("Emailed to the applicant with the decision."),
    )
    decided_at = models.DateTimeField(_("decision emailed on"), null=True, blank=True)

    # Publication in the gallery of supported projects, rewritten without personal data.
    is_published = models.BooleanField(_("published in the gallery"), default=False)
    public_title = models.CharField(_("published title"), max_length=150, blank=True)
    public_summary = models.TextField(
        _("published description"),
        blank=True,
        max_length=3000,
        help_text=_(
            "The project as it will be published: no name, address, phone number or "
            "detail that would identify a resident."
        ),
    )
    public_account = models.TextField(
        _("account of the project"),
        blank=True,
        max_length=3000,
        help_text=_("Once carried out: a few lines on how it went."),
    )
    public_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo of the project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A photo from the image library, with the consent of anyone shown."),
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    personal_data = Processing(
        name=_("Applications to the citizens' initiative fund"),
        data=_(
            "The applicant's name, email and phone, the project, the help asked, the "
            "attached photo or document, the team's instruction and the decision."
        ),
        purpose=_("Instruct the applications, present them to the committee, follow the projects."),
        legal_basis=CONSENT,
        recipients=_(
            "The fund's team and committee only. The gallery of supported projects shows "
            "neither name nor contact."
        ),
        retention=PERSONAL_DATA_RETENTION,
        retention_note=_(
            "Then an application not granted is deleted; a granted project keeps only "
            "what was published, without any name."
        ),
        order=25,
    )

    class Meta:
        verbose_name = _("fund application")
        verbose_name_plural = _("fund applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        elif not self.is_published:
            self.published_at = None
        super().save(*args, **kwargs)

    @property
    def reference(self):
        return f"FIC-{self.pk:05d}" if self.pk else ""

    @property
    def shown_on_public_pages(self):
        # The gallery shows granted projects and counts them in its totals.
        return self.status in self.GRANTED_STATUSES

    @property
    def carrier_display(self):
        if self.carrier == self.Carrier.ASSOCIATION and self.association_id:
            return self.association.title
        return self.collective_name or self.get_carrier_display()

    def clean(self):
        errors = {}
        if self.is_published:
            if self.status not in self.GRANTED_STATUSES:
                errors["is_published"] = _("Only a granted project can be published.")
            if not self.public_title.strip():
                errors["public_title"] = _("Give the published title (without personal data).")
            if not self.public_summary.strip():
                errors["public_summary"] = _(
                    "Write the project as it will be published (without personal data)."
                )
        if errors:
            raise ValidationError(errors)

    # The applicant's private link -----------------------------------------------

    @property
    def tracking_token(self):
        """Signed with the site's secret: only the link emailed to the applicant opens
        their application; no account, nothing to guess. "<id>-<signature>": a page's
        sub-path takes letters, digits, "-" and "_" only, and the id has no "-"."""
        return signing.Signer(salt=TRACKING_SALT).sign(str(self.pk)).replace(":", "-", 1)

    @classmethod
    def from_tracking_token(cls, token):
        try:
            pk = signing.Signer(salt=TRACKING_SALT).unsign(token.replace("-", ":", 1))
        except signing.BadSignature:
            return None
        if not pk.isdigit():
            return None
        return cls.objects.select_related("commune", "association").filter(pk=pk).first()

    def tracking_url(self):
        page = self.fund_page
        if page is None:
            return ""
        return page.get_full_url() + page.reverse_subpage("tracking", args=[self.tracking_token])

    def admin_url(self):
        return settings.WAGTAILADMIN_BASE_URL + reverse("fund_application:edit", args=[self.pk])

    # Emails ---------------------------------------------------------------------

    def _email_applicant(self, template, **context):
        OutgoingEmail.queue(
            self.email,
            f"fonds/emails/{template}",
            {"application": self, "tracking_url": self.tracking_url(), **context},
            reply_to=settings.STAFF_NOTIFICATION_EMAIL,
            language=self.language,
        )

    def queue_receipt_emails(self, answer_within_days):
        """The acknowledgement with the private link, and the notice to the team's
        mailbox; call it in the transaction that saves the application."""
        self._email_applicant("acknowledgement", answer_within_days=answer_within_days)
        OutgoingEmail.queue(
            settings.STAFF_NOTIFICATION_EMAIL,
            "fonds/emails/staff_notice",
            {"application": self, "admin_url": self.admin_url()},
        )

    def request_information(self):
        """Email the applicant what the team needs to know more."""
        if not self.info_request.strip():
            raise ValidationError({"info_request": _("Write what the applicant should add.")})
        with transaction.atomic():
            self.status = self.Status.INFO_REQUESTED
            self.info_requested_at = timezone.now()
            self.info_answer = ""
            self.info_answered_at = None
            self.save()
            self._email_applicant("info_request")

    def answer_information(self, answer):
        """The applicant's answer through their link: the instruction goes on."""
        with transaction.atomic():
            self.info_answer = answer
            self.info_answered_at = timezone.now()
            self.status = self.Status.IN_REVIEW
            self.save()
            OutgoingEmail.queue(
                settings.STAFF_NOTIFICATION_EMAIL,
                "fonds/emails/info_answered",
                {"application": self, "admin_url": self.admin_url()},
            )

    def send_decision(self):
        """Email the committee's decision: the help granted, or the refusal and its reason."""
        if self.status == self.Status.REFUSED:
            if not self.refusal_reason.strip():
                raise ValidationError(
                    {"refusal_reason": _("Give the reason for the refusal: it is emailed.")}
                )
            template = "refusal"
        elif self.status == self.Status.GRANTED:
            if not (
                self.granted_amount or self.granted_materials.strip() or self.granted_skills.strip()
            ):
                raise ValidationError(
                    {
                        "granted_amount": _(
                            "Say what help is granted: an amount, materials or skills."
                        )
                    }
                )
            template = "grant"
        else:
            raise ValidationError(
                {"status": _("Set the status to granted or refused before emailing the decision.")}
            )
        with transaction.atomic():
            self.decided_at = timezone.now()
            self.save()
            self._email_applicant(template)

    # Personal data --------------------------------------------------------------

    def forget_applicant(self):
        """Erase who applied (name, email, phone, attachment and their own words),
        keeping the project as the team published it."""
        if self.attachment:
            self.attachment.delete(save=False)
        self.contact_name = self.email = self.phone = self.collective_name = ""
        self.summary = self.info_answer = self.internal_notes = ""
        self.save(
            update_fields=[
                "attachment",
                "contact_name",
                "email",
                "phone",
                "collective_name",
                "summary",
                "info_answer",
                "internal_notes",
            ]
        )

    @classmethod
    def purge_personal_data(cls, now):
        """Two years after sending: granted projects keep only what was published;
        the other applications are deleted."""
        old = cls.objects.filter(created_at__lt=now - PERSONAL_DATA_RETENTION)
        count = old.exclude(status__in=cls.GRANTED_STATUSES).delete()[1].get(cls._meta.label, 0)
        for application in old.granted().exclude(email=""):
            application.forget_applicant()
            count += 1
        return count

    @classmethod
    def personal_data_of(cls, email):
        return cls.objects.filter(email__iexact=email.strip())

    @classmethod
    def erase_personal_data(cls, email):
        """Applications not granted are deleted; a granted project keeps only what was
        published, as the purge leaves it."""
        count = 0
        for application in cls.personal_data_of(email):
            if application.status in cls.GRANTED_STATUSES:
                application.forget_applicant()
            else:
                application.delete()  # its attachment goes with it (post_delete)
            count += 1
        return count


@receiver(post_delete, sender=Application)
def delete_attachment_file(sender, instance, **kwargs):
    # A deleted application leaves no file behind on the disk.
    if instance.attachment:
        instance.attachment.delete(save=False)


def yearly_totals():
    """Per year, newest first: projects granted, amount granted and partners involved
    (counted in the year of the decision), applications received (in the year they
    were sent) and the share of those granted. Three queries, whatever the number of
    projects."""
    granted = (
        Application.objects.granted()
        .filter(decided_at__isnull=False)
        .annotate(year=ExtractYear("decided_at"))
        .values("year")
        .order_by()
    )
    years = {
        row["year"]: {
            "year": row["year"],
            "projects": row["projects"],
            "amount": row["amount"] or Decimal(0),
            "partners": 0,
            "received": 0,
        }
        for row in granted.annotate(projects=Count("pk"), amount=Sum("granted_amount"))
    }
    # Counted apart: joining the partners would count each amount once per partner.
    for row in granted.annotate(partners=Count("partners", distinct=True)):
        years[row["year"]]["partners"] = row["partners"]
    received = (
        Application.objects.annotate(year=ExtractYear("created_at"))
        .values("year")
        .order_by()
        .annotate(
            count=Count("pk"),
            granted=Count("pk", filter=Q(status__in=Application.GRANTED_STATUSES)),
        )
    )
    for row in received:
        totals = years.setdefault(
            row["year"],
            {"year": row["year"], "projects": 0, "amount": Decimal(0), "partners": 0},
        )
        totals["received"] = row["count"]
        # The share of that year's applications granted (whenever the committee decided).
        totals["share"] = round(100 * row["granted"] / row["count"])
    for totals in years.values():
        totals.setdefault("share", None)
    return sorted(years.values(), key=lambda totals: totals["year"], reverse=True)
