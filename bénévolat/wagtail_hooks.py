from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import VolunteeringGroup, create_member_account
from .models import ActivityField, AssociationPage


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
