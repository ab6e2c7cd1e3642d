"""The admin's dashboard for volunteering (Wagtail's `construct_homepage_panels`,
see wagtail_hooks.py): an association member's own association, what it asked
the communication team and what waits for it; the team's volunteer requests to
process."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from home.admin_panels import CountsPanel

from .accounts import associations_of
from .admin_views import requests_policy
from .models import AssociationPage, MissionPage, VolunteerRequest


def explorer_url(page, model=None):
    """The admin's listing of `page`'s children, of one page type if given."""
    url = reverse("wagtailadmin_explore", args=[page.pk])
    if model is not None:
        url += "?" + urlencode({"content_type": ContentType.objects.get_for_model(model).pk})
    return url


def requests_url(**filters):
    return reverse("benevolat_requests:index") + "?" + urlencode(filters)


def moderation_of(pages):
    """Each page's current workflow state (in progress, or changes asked), by page id."""
    states = (
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page.pk) for page in pages],
        )
        .select_related("current_task_state")
    )
    return {int(state.object_id): state for state in states}


class AssociationPanel(Component):
    """An association member's dashboard: its association, with the way to its page,
    its missions and requests counted, and its pages in plain words: waiting for the
    communication team, changes asked (with the team's comment), drafts not sent."""

    name = "my_association"
    template_name = "benevolat/admin/association_panel.html"
    order = 50

    class Media:
        css = {"all": ["css/admin-dashboard.css"]}

    def __init__(self, association):
        self.association = association

    def get_context_data(self, parent_context=None):
        association = self.association
        pages = list(
            Page.objects.descendant_of(association, inclusive=True)
            .order_by("-latest_revision_created_at")
            .specific(defer=True)
        )
        states = moderation_of(pages)
        waiting, changes_asked, drafts = [], [], []
        for page in pages:
            state = states.get(page.pk)
            row = {"page": page, "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk])}
            if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                task_state = state.current_task_state
                row["comment"] = task_state.specific.get_comment() if task_state else ""
                changes_asked.append(row)
            elif state is not None:
                waiting.append(row)
            elif not page.live or page.has_unpublished_changes:
                drafts.append(row)
        missions = MissionPage.objects.child_of(association)
        new_requests = VolunteerRequest.objects.filter(
            association=association, status=VolunteerRequest.Status.NEW
        ).count()
        return {
            "association": association,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[association.pk]),
            "add_url": reverse("wagtailadmin_pages:add_subpage", args=[association.pk]),
            "live_url": association.url if association.live else None,
            "rows": [
                {"label": label, "count": count, "url": url}
                for label, count, url in [
                    (_("Missions"), missions.count(), explorer_url(association, MissionPage)),
                    (
                        _("New volunteer requests to answer"),
                        new_requests,
                        requests_url(status=VolunteerRequest.Status.NEW),
                    ),
                    (_("Pages awaiting validation"), len(waiting), explorer_url(association)),
                ]
            ],
            "waiting": waiting,
            "changes_asked": changes_asked,
            "drafts": drafts,
        }


def member_associations(user):
    """The associations a member edits (in the site's language), or none for the
    communication team, whose dashboard is the whole site's."""
    if requests_policy.is_team(user, "view") or requests_policy.is_team(user):
        return []
    return list(
        AssociationPage.objects.filter(
            pk__in=associations_of(user), locale__language_code=settings.LANGUAGE_CODE
        ).order_by("title")
    )


def volunteer_requests_panel(user):
    """The team's volunteer requests: the new ones to answer, and those in contact."""
    if not (requests_policy.is_team(user, "view") or requests_policy.is_team(user)):
        return None
    Status = VolunteerRequest.Status
    counts = {
        status: VolunteerRequest.objects.filter(status=status).count()
        for status in (Status.NEW, Status.IN_CONTACT)
    }
    return CountsPanel(
        _("Volunteering"),
        [
            (_("New volunteer requests"), counts[Status.NEW], requests_url(status=Status.NEW)),
            (
                _("Volunteers in contact"),
                counts[Status.IN_CONTACT],
                requests_url(status=Status.IN_CONTACT),
            ),
        ],
        order=120,
        name="volunteering",
    )
