"""The admin's dashboard for the agenda (Wagtail's `construct_homepage_panels`, see
wagtail_hooks.py): an association member's coming events, whatever their state,
and the ceremony sign-ups the town hall's staff have to confirm."""

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from bénévolat.dashboard import explorer_url, moderation_of
from home.admin_panels import CountsPanel

from .models import CeremonyRegistration, EventPage

SHOWN_EVENTS = 5


def state_label(page, state):
    """Where an event stands, in the member's words rather than Wagtail's."""
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("changes asked")
    if state is not None:
        return _("awaiting validation")
    if not page.live:
        return _("draft")
    if page.has_unpublished_changes:
        return _("published, changes not sent")
    return _("published")


class AssociationEventsPanel(Component):
    name = "association_events"
    template_name = "events/admin/association_events_panel.html"
    order = 60

    def __init__(self, association):
        self.association = association

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        events = (
            EventPage.objects.filter(association=self.association)
            .annotate(next_start=Min("occurrences__start", filter=Q(occurrences__end__gte=now)))
            .filter(next_start__isnull=False)
            .order_by("next_start")
        )
        count = events.count()
        shown = list(events[:SHOWN_EVENTS])
        states = moderation_of(shown)
        return {
            "association": self.association,
            "count": count,
            "events": [
                {
                    "page": event,
                    "start": timezone.localtime(event.next_start),
                    "state": state_label(event, states.get(event.pk)),
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
                }
                for event in shown
            ],
            "all_url": explorer_url(self.association, EventPage),
            "add_url": reverse(
                "wagtailadmin_pages:add", args=["events", "eventpage", self.association.pk]
            ),
        }


def ceremony_registrations_panel(user):
    """The staff's sign-ups to confirm, for who may process them."""
    if not user.has_perm("events.change_ceremonyregistration"):
        return None
    received = CeremonyRegistration.objects.filter(status=CeremonyRegistration.Status.RECEIVED)
    return CountsPanel(
        _("Ceremonies"),
        [
            (
                _("Sign-ups to confirm"),
                received.count(),
                reverse("ceremony_registrations:index")
                + "?"
                + urlencode({"status": CeremonyRegistration.Status.RECEIVED}),
            )
        ],
        order=130,
        name="ceremonies",
    )
