from django import forms
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.actions.edit import EditAction
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from bénévolat.dashboard import member_associations
from home.bulk_actions import BulkActionsListingMixin, ListingBulkAction
from home.exports import FrenchSpreadsheetExportMixin
from home.search import SearchKind

from . import dashboard
from .indicators import measured_sources
from .models import (
    CeremonyRegistration,
    EventIndexPage,
    EventPage,
    home_highlight,
    occurrences_for_listing,
)


class SentByCitizensPolicy(ModelPermissionPolicy):
    """Sign-ups come from the public form only: the admin processes them, never adds one."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)


register_permission_policy(
    CeremonyRegistration, SentByCitizensPolicy(CeremonyRegistration), exact_class=True
)


class SentByCitizenPanel(Panel):
    """What the citizen sent, read-only above what the staff edit."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/sent_by_citizen_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rows"] = self.instance.sent_rows() if self.instance.pk else []
            return context


def headcount(registrations):
    """Per ceremony, the sign-ups and the people (their guests added up) confirmed and
    still to process: what the staff need to book the room and the glasses."""
    Status = CeremonyRegistration.Status
    return list(
        registrations.values("ceremony_id", "ceremony__title")
        .annotate(
            confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
            confirmed_people=Sum("guests", filter=Q(status=Status.CONFIRMED), default=0),
            received=Count("pk", filter=Q(status=Status.RECEIVED)),
            received_people=Sum("guests", filter=Q(status=Status.RECEIVED), default=0),
        )
        .order_by("ceremony__title")
    )


class CeremonyRegistrationIndexView(
    BulkActionsListingMixin, FrenchSpreadsheetExportMixin, IndexView
):
    # In the results, not the page header: Wagtail refreshes the results alone when
    # a filter changes, and the headcount follows the ceremony filter.
    results_template_name = "events/admin/ceremony_registration_results.html"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        registrations = CeremonyRegistration.objects.all()
        if self.filters and self.filters.is_valid():
            ceremony = self.filters.form.cleaned_data.get("ceremony")
            if ceremony:
                registrations = registrations.filter(ceremony=ceremony)
        context["headcount"] = headcount(registrations)
        return context


class CeremonyRegistrationEditView(EditView):
    def save_instance(self):
        instance = super().save_instance()
        # Only on a change of status: saving a confirmed sign-up again (to add to the
        # note) must not write to the citizen a second time.
        if "status" in self.form.changed_data:
            instance.queue_decision_email(self.request)
        return instance


class CeremonyRegistrationInspectView(InspectView):
    def get_fields_context(self):
        registration = self.object
        rows = [
            *registration.sent_rows(),
            (_("Status"), registration.get_status_display()),
            (_("Staff note"), registration.staff_note),
        ]
        return [
            {"label": label, "value": value, "component": None} for label, value in rows if value
        ]


class CeremonyRegistrationViewSet(ModelViewSet):
    """Sign-ups and nominations to ceremonies, processed by the town hall's staff.
    Only users given the model's permissions see them (never association accounts)."""

    model = CeremonyRegistration
    icon = "group"
    index_view_class = CeremonyRegistrationIndexView
    edit_view_class = CeremonyRegistrationEditView
    inspect_view_class = CeremonyRegistrationInspectView
    menu_label = _("Ceremony sign-ups")
    menu_order = 300
    add_to_admin_menu = True
    name = "ceremony_registrations"
    url_prefix = "inscriptions-ceremonies"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["name", "ceremony", "status", "created_at"]
    list_filter = ["status", "ceremony"]
    search_fields = ["name", "email", "nominee_name"]
    list_export = [
        "ceremony",
        "name",
        "email",
        "phone",
        "child_name",
        "child_birth_date",
        "birth_date",
        "nominee_name",
        "nominee_contact",
        "reason",
        "guests",
        "get_status_display",
        "staff_note",
        "created_at",
    ]
    # The status as the staff read it ("confirmée"), not its code ("confirmee").
    export_headings = {"get_status_display": _("Status")}
    export_filename = "inscriptions-ceremonies"
    panels = [
        SentByCitizenPanel(heading=_("What the citizen sent")),
        FieldPanel("status"),
        FieldPanel("staff_note"),
    ]

    def get_queryset(self, request):
        return CeremonyRegistration.objects.select_related("ceremony")


# Bulk actions on the listing: each sign-up saved by Wagtail's edit action, and its
# citizen emailed as the edit screen does, once (one already in that status is left).


class DecisionBulkAction(ListingBulkAction):
    models = [CeremonyRegistration]
    status = None

    def apply(self, registration, staff_note=""):
        if registration.status == self.status:
            return False
        registration.status = self.status
        if staff_note:
            registration.staff_note = staff_note
        EditAction(registration, user=self.request.user).execute(skip_permission_checks=True)
        registration.queue_decision_email(self.request)
        return True


class ConfirmBulkAction(DecisionBulkAction):
    status = CeremonyRegistration.Status.CONFIRMED
    display_name = _("Confirm")
    action_type = "confirm"
    aria_label = _("Confirm the selected sign-ups")
    question = _("Confirm these sign-ups? Each person is emailed the confirmation, once.")
    confirm_label = _("Confirm and email")
    action_priority = 10
    header_icon = "check"

    def get_success_message(self, changed, unchanged):
        return ngettext(
            "%(count)d sign-up confirmed: the person is emailed.",
            "%(count)d sign-ups confirmed: each person is emailed.",
            changed,
        ) % {"count": changed}


class DeclineNoteForm(forms.Form):
    staff_note = forms.CharField(
        label=_("Reason given to each person (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Written in each sign-up's staff note, and in the email."),
    )


class DeclineBulkAction(DecisionBulkAction):
    status = CeremonyRegistration.Status.DECLINED
    display_name = _("Decline")
    action_type = "decline"
    aria_label = _("Decline the selected sign-ups")
    question = _("Decline these sign-ups? Each person is emailed, once.")
    confirm_label = _("Decline and email")
    form_class = DeclineNoteForm
    action_priority = 20
    header_icon = "cross"

    def get_success_message(self, changed, unchanged):
        return ngettext(
            "%(count)d sign-up declined: the person is emailed.",
            "%(count)d sign-ups declined: each person is emailed.",
            changed,
        ) % {"count": changed}


for bulk_action in (ConfirmBulkAction, DeclineBulkAction):
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_admin_viewset")
def register_ceremony_registrations():
    return CeremonyRegistrationViewSet()


@hooks.register("construct_homepage_panels")
def agenda_dashboard(request, panels):
    """An association member's coming events; the staff's sign-ups to confirm."""
    for association in member_associations(request.user):
        panels.append(dashboard.AssociationEventsPanel(association))
    registrations = dashboard.ceremony_registrations_panel(request.user)
    if registrations is not None:
        panels.append(registrations)


# What the agenda shows on the pages of the apps below it.


@hooks.register("home_page_highlights", order=5)
def next_events(home_page, sections, commune=None):
    return home_highlight(home_page, sections.get(EventIndexPage), commune)


# The home page keeps the section until an event's publication purges this tag.
next_events.cache_tags = ("events",)


@hooks.register("action_page_sections", order=10)
def action_events(action):
    """An action page's next events (pages of both languages point at the French
    action, hence the translation key)."""
    # The link as a subquery on its own table: joined into the listing's query, it
    # made PostgreSQL spend 20 ms planning it for a 1 ms answer.
    linked = EventPage.related_actions.through.objects.filter(
        actionpage__translation_key=action.translation_key
    ).values("eventpage_id")
    return {
        "title": _("Coming events"),
        "template": "events/includes/action_events.html",
        "items": list(
            occurrences_for_listing().filter(
                page__live=True,
                page__locale_id=action.locale_id,
                page_id__in=linked,
                end__gte=timezone.now(),
            )[:4]
        ),
    }


# An action page keeps the section until an event's publication purges this tag.
action_events.cache_tags = ("events",)


@hooks.register("search_page_kinds")
def event_search_kinds():
    return [SearchKind(EventPage, _("Events"), 20)]


# What the plan's indicators may count (actions.sources).


@hooks.register("indicator_sources")
def indicator_sources():
    return measured_sources()
