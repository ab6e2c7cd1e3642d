from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from home.exports import FrenchSpreadsheetExportMixin

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


class CeremonyRegistrationIndexView(FrenchSpreadsheetExportMixin, IndexView):
    pass


class CeremonyRegistrationViewSet(ModelViewSet):
    """Sign-ups and nominations to ceremonies, processed by the town hall's staff.
    Only users given the model's permissions see them (never association accounts)."""

    model = CeremonyRegistration
    icon = "group"
    index_view_class = CeremonyRegistrationIndexView
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
        "status",
        "staff_note",
        "created_at",
    ]
    export_filename = "inscriptions-ceremonies"
    form_fields = ["status", "staff_note"]

    def get_queryset(self, request):
        return CeremonyRegistration.objects.select_related("ceremony")


@hooks.register("register_admin_viewset")
def register_ceremony_registrations():
    return CeremonyRegistrationViewSet()


# What the agenda shows on the pages of the apps below it.


@hooks.register("home_page_highlights", order=20)
def next_events(home_page, sections):
    return home_highlight(home_page, sections.get(EventIndexPage))


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
