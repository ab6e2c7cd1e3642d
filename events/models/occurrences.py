"""The dates of the events: what the agenda lists and the calendar feeds carry."""

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from home.models import private_pages_q

from ..recurrence import PARIS


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
    """The dates of live events in one language, leaving out pages kept private in
    any language, as the pages' `visible_to_public()` does (the view restrictions are
    read from the cache, whatever the number of events)."""
    return (
        occurrences_for_listing()
        .filter(page__live=True, page__locale_id=locale_id)
        .exclude(private_pages_q(prefix="page__"))
    )
