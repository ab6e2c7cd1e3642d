"""Hours volunteers gave to missions (plan action 17: "recenser les heures de
bénévolat"), for the structures' annual reports (reports.py)."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel

from home.rgpd import PUBLIC_TASK, Processing

from ..admin_forms import VolunteerHoursAdminForm
from .associations import AssociationPage
from .missions import MissionPage
from .requests import VolunteerRequest


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
    # The communication team checks the hours the structures record before they go
    # into its reports; changed afterwards, they wait for a new check.
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True, editable=False)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        # A list of the structure's missions rather than the page chooser (admin_forms.py).
        FieldPanel("mission", widget=forms.Select),
        FieldPanel("volunteer_request"),
        FieldPanel("volunteer_name"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("hours")]),
        FieldPanel("note"),
    ]
    base_form_class = VolunteerHoursAdminForm

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Record volunteering hours")
    admin_empty_message = _("No volunteering hours recorded yet.")

    class Meta:
        # One row is an entry of hours, not "hours": Wagtail counts rows with these
        # ("1 saisie d'heures de bénévolat", never "1 heures de bénévolat").
        verbose_name = _("entry of volunteering hours")
        verbose_name_plural = _("entries of volunteering hours")
        ordering = ["-date", "-created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_facts = self.facts()

    def __str__(self):
        return f"{self.volunteer_display} — {self.mission.title} ({self.date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.count_for_the_french_mission()
        self.association_id = self.mission.association_id
        if not self._state.adding and self.facts() != self._saved_facts:
            self.validated_at = self.validated_by = None
        super().save(*args, **kwargs)
        self._saved_facts = self.facts()

    def facts(self):
        """What a validation vouches for (read without loading a deferred field)."""
        return tuple(
            self.__dict__.get(name) for name in ("mission_id", "volunteer_name", "date", "hours")
        )

    @property
    def is_validated(self):
        return self.validated_at is not None

    def validate(self, user):
        """The team vouches for these hours; returns False when they already were."""
        if self.is_validated:
            return False
        self.validated_at = timezone.now()
        self.validated_by = user
        self.save(update_fields=["validated_at", "validated_by"])
        return True

    def _volunteer_display(self):
        return self.volunteer_name or gettext("anonymous volunteer")

    # The listing's column is headed with this label (Django's label_for_field).
    _volunteer_display.short_description = _("volunteer")
    volunteer_display = property(_volunteer_display)

    @property
    def structure_name(self):
        return self.mission.structure_name

    def count_for_the_french_mission(self):
        """Hours chosen on a mission's English copy are the French mission's: its
        structure reports them, and requests are recorded there too."""
        if self.mission_id:
            self.mission = self.mission.source_mission()

    def clean(self):
        super().clean()
        self.count_for_the_french_mission()
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
