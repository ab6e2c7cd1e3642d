"""What the agenda's events are described and filtered with: their categories, organisers,
audiences, statuses and ways to register."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.icons import PictogramField


@register_snippet
class EventCategory(TranslatableMixin, models.Model):
    """A kind of event the agenda can be filtered by (concert, sport, réunion publique…).
    Events point at the French category; its English copy (wagtail-localize) names it
    on the English site."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60)
    pictogram = PictogramField()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("pictogram")]
    # Only the name is the translator's: the slug stays the French one, the agenda's
    # one vocabulary of addresses (README), and the pictogram with it.
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        SynchronizedField("pictogram"),
    ]

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add an event category")
    admin_empty_message = _("No event category yet.")

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["name"]
        # A translation keeps its category's slug: the agenda's filter reads the same
        # address in both languages, and finds the events of the French category.
        constraints = [
            models.UniqueConstraint(
                fields=["name", "locale"], name="unique_event_category_name_per_locale"
            ),
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_event_category_slug_per_locale"
            ),
        ]

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


# How each status reads in iCalendar (RFC 5545 STATUS).
ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.FULL: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


class Registration(models.TextChoices):
    NONE = "aucune", _("No registration needed")
    LINK = "lien", _("Registration through a link")
    PLACES = "places", _("Limited places, registration required")
