from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.search import SearchKind

from . import dashboard
from .admin_views import BULK_ACTIONS, VolunteeringGroup, create_member_account
from .indicators import measured_sources
from .models import ActivityField, AssociationPage, MissionIndexPage, MissionPage, home_highlight


class ActivityFieldViewSet(SnippetViewSet):
    model = ActivityField
    menu_label = _("Fields of activity")
    icon = "tag"
    list_display = ["name", "slug"]
    ordering = ["sort_order", "name"]


register_snippet(ActivityFieldViewSet)


@hooks.register("register_admin_viewset")
def register_volunteering_admin():
    return VolunteeringGroup()


for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


@hooks.register("register_admin_urls")
def register_member_account_url():
    return [
        path(
            "benevolat/compte-association/<int:page_id>/",
            create_member_account,
            name="benevolat_member_account",
        )
    ]


@hooks.register("register_page_header_buttons")
def member_account_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, AssociationPage) and user.has_perm("auth.add_user"):
        yield Button(
            _("Create a member account"),
            url=reverse("benevolat_member_account", args=[page.pk]),
            icon_name="user",
            priority=80,
        )


@hooks.register("construct_homepage_panels")
def volunteering_dashboard(request, panels):
    """An association member's dashboard is its association's: the panel says in
    plain words what waits for the team and what the team asked, so Wagtail's list
    of "pages in a workflow" goes. The team sees the requests to process."""
    associations = dashboard.member_associations(request.user)
    if associations:
        panels[:] = [
            panel for panel in panels if panel.name != "user_objects_in_workflow_moderation"
        ]
        panels.extend(dashboard.AssociationPanel(association) for association in associations)
    requests_panel = dashboard.volunteer_requests_panel(request.user)
    if requests_panel is not None:
        panels.append(requests_panel)


# What volunteering shows on the pages of the apps below it.


@hooks.register("home_page_highlights", order=30)
def open_missions(home_page, sections, commune=None):
    return home_highlight(home_page, sections.get(MissionIndexPage))


# The home page keeps the section until a mission's publication, or its filling up,
# purges this tag.
open_missions.cache_tags = ("missions",)


@hooks.register("action_page_sections", order=20)
def action_missions(action):
    """An action page's open missions (pages of both languages point at the French
    action, hence the translation key)."""
    linked = MissionPage.related_actions.through.objects.filter(
        actionpage__translation_key=action.translation_key
    ).values("missionpage_id")
    return {
        "title": _("Volunteer missions"),
        "template": "benevolat/includes/action_missions.html",
        "items": list(
            MissionPage.objects.visible_to_public()
            .filter(locale_id=action.locale_id, pk__in=linked, status=MissionPage.Status.OPEN)
            .select_related("commune")
            .order_by("-first_published_at")[:3]
        ),
    }


# An action page keeps the section until a mission's publication, or its filling up,
# purges this tag.
action_missions.cache_tags = ("missions",)


@hooks.register("search_page_kinds")
def volunteering_search_kinds():
    return [
        SearchKind(MissionPage, _("Volunteer missions"), 30),
        SearchKind(AssociationPage, _("Associations"), 40),
    ]


# What the plan's indicators may count (actions.sources).


@hooks.register("indicator_sources")
def indicator_sources():
    return measured_sources()
