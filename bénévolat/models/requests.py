"""Volunteer requests: a citizen's "Je veux aider", processed in the admin by the
structure of the mission (see admin_views.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from home.page_cache import page_tag
from home.rgpd import CONSENT, Processing

from ..emails import queue_decline_email
from .associations import AssociationPage
from .missions import MissionPage


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

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add a volunteer request")
    admin_empty_message = _("No volunteer request yet.")

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
                queue_decline_email(self)
        self._saved_status = self.status

    def cache_purge_tags(self):
        """The places left show on the mission's page; whether it is full, in every
        listing of the mission too (the page cache unites the tags from before and
        after the change, so a mission that fills up or frees a place is seen)."""
        if self.mission_id is None:
            return set()
        # Read afresh: the places left are counted once per instance.
        mission = MissionPage.objects.get(pk=self.mission_id)
        return mission.cache_purge_tags() if mission.is_full else {page_tag(mission)}

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
        # first would cut the link that finds them. Imported here: hours.py imports
        # this module (an hour's request).
        from .hours import VolunteerHours

        VolunteerHours.erase_personal_data(email)
        return rows.delete()[1].get(cls._meta.label, 0)
