"""What following shows on the pages of the apps below it (a link registered under
home's `follow_link` hook) and in the admin (the counts, the next digest's preview,
the number of followers in a followed page's header, a source for the plan's
indicators)."""

from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from home.models import TEAM_PERMISSION

from . import admin_views
from .indicators import measured_sources
from .models import AGENDA_FILTERS, Subscription, Target, target_of

LINK_LABELS = {
    Target.ACTION: _("Follow this action by email"),
    Target.AGENDA: _("Receive these events by email every week"),
    Target.ASSOCIATION: _("Follow this association by email"),
    Target.PLAN: _("Receive the plan's monthly summary by email"),
}


@hooks.register("follow_link")
def follow_link(page, request):
    target = target_of(page)
    if target is None or not page.pk:
        return None
    url = reverse("follow:subscribe", args=[page.pk])
    if target == Target.AGENDA and request is not None:
        # The agenda's current filters go with it: follow what you are looking at.
        filters = [(name, request.GET[name]) for name in AGENDA_FILTERS if request.GET.get(name)]
        if filters:
            url += "?" + urlencode(filters)
    return {"url": url, "label": LINK_LABELS[target]}


@hooks.register("register_admin_urls")
def register_follow_admin_urls():
    return [
        path("abonnements/", admin_views.counts, name="follow_counts"),
        path("abonnements/apercu/<int:page_id>/", admin_views.preview, name="follow_preview"),
    ]


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(TEAM_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_follow_menu_item():
    return TeamMenuItem(
        _("Email subscriptions"), reverse("follow_counts"), icon_name="mail", order=900
    )


@hooks.register("register_page_header_buttons")
def followers_button(page, user, view_name, next_url=None):
    """The number of people following the page, in its header in the admin."""
    if target_of(page) is None:
        return
    count = Subscription.objects.confirmed().following(page).count()
    yield Button(
        ngettext("%(count)s email follower", "%(count)s email followers", count) % {"count": count},
        url=reverse("follow_counts") + f"#page-{page.pk}",
        icon_name="mail",
        priority=80,
    )


# What the plan's indicators may count (actions.sources).


@hooks.register("indicator_sources")
def indicator_sources():
    return measured_sources()
