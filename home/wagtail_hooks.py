from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.action_menu import (
    CancelWorkflowMenuItem,
    RestartWorkflowMenuItem,
    SubmitForModerationMenuItem,
)
from wagtail.admin.compare import register_comparison_class
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from . import admin_views, page_cache
from .admin_panels import CountsPanel
from .admin_search import DefaultLocalePageViewSet
from .compare import READABLE_FIELDS, ReadableFieldComparison
from .locales import locale_asked
from .models import TEAM_PERMISSION
from .templatetags.admin_french import editor_guide_url


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path("donnees-personnelles/", admin_views.search, name="personal_data"),
        path("donnees-personnelles/export/", admin_views.export, name="personal_data_export"),
        path("donnees-personnelles/effacer/", admin_views.erase, name="personal_data_erase"),
        path("guide/", admin_views.editor_guide, name="editor_guide"),
    ]


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return AdminOnlyMenuItem(
        _("Personal data"), reverse("personal_data"), icon_name="lock", order=950
    )


@hooks.register("register_log_actions")
def register_personal_data_log_actions(actions):
    actions.register_action(
        "home.personal_data_exported", _("Export personal data"), _("Personal data exported")
    )
    actions.register_action(
        "home.personal_data_erased", _("Erase personal data"), _("Personal data erased")
    )


# Revision comparisons show dates, numbers and yes/no in French, and nothing for an
# empty value (Wagtail shows "None").
for field_class in READABLE_FIELDS:
    register_comparison_class(field_class, comparison_class=ReadableFieldComparison)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


# The page cache keys a page by the query parameters its type reads.
hooks.register("before_serve_page", page_cache.note_page_reads)


# The admin API's images and documents, within the collections the user may use (as
# Wagtail's listings and choosers: choose, change or delete).
# Wagtail's own endpoints only leave out private collections: every admin account,
# association members included, would list every title and file.
COLLECTION_ACTIONS = ["choose", "change", "delete"]


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(
                pk__in=policy_registry.get_by_type(get_image_model())
                .instances_user_has_any_permission_for(self.request.user, COLLECTION_ACTIONS)
                .values("pk")
            )
        )


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(
                pk__in=policy_registry.get_by_type(get_document_model())
                .instances_user_has_any_permission_for(self.request.user, COLLECTION_ACTIONS)
                .values("pk")
            )
        )


# After wagtail.images and wagtail.documents register theirs, whatever the apps' order.
@hooks.register("construct_admin_api", order=100)
def scope_admin_api_media(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


# Pages an editor may not edit stay out of the admin's lists: an association member
# sees no other association's drafts. Wagtail's explorer and search already keep to
# the "explorable" pages (those the user may edit, and their ancestors); the
# choosers and the bulk screens do not.


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=admin_views.visible_pages(request.user).values("pk"))


@hooks.register("construct_page_chooser_queryset")
def french_pages_first_in_the_chooser(pages, request):
    """The chooser opens on the French pages. At the root, where every language's
    home page sits, and in its search, it keeps to the site's language (or the one
    asked with `locale`); below a home page, the pages are in that page's language,
    and the chooser's language menu reaches the English copies."""
    match = request.resolver_match
    if match and match.url_name == "wagtailadmin_choose_page_child":
        return pages
    return pages.filter(locale=locale_asked(request))


# After Wagtail's own base viewset (order -1), which it replaces: the same, with the
# page search in one language.
@hooks.register("register_admin_viewset", order=100)
def register_default_locale_page_viewset():
    return DefaultLocalePageViewSet()


@hooks.register("before_move_page")
def refuse_a_move_out_of_reach(request, page, destination):
    """Wagtail's confirmation screen names any destination before its POST checks
    the move: refuse it as soon as the GET."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


class ScopedPageBulkActionMixin:
    """Wagtail lists, by title, the chosen pages the user may not act on: any id can
    be put in the address. Only the pages the user may explore are listed."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = extra["items_with_no_access"]
        explorable = set(
            PagePermissionPolicy()
            .explorable_instances(self.request.user)
            .filter(pk__in=[page.pk for page in refused])
            .values_list("pk", flat=True)
        )
        extra["items_with_no_access"] = [page for page in refused if page.pk in explorable]
        return objects, extra


# After Wagtail's own, which they replace (the registry keeps the last per action).
for action_class in (DeleteBulkAction, MoveBulkAction, PublishBulkAction, UnpublishBulkAction):
    hooks.register(
        "register_bulk_action",
        type(action_class.__name__, (ScopedPageBulkActionMixin, action_class), {}),
        order=100,
    )


# Each role's admin shows what that role does. Wagtail's page reports (locked pages,
# workflows and their tasks, site history, aging pages, page types, wagtail-localize's
# translations) are the communication team's tools: an association member, who edits
# a few pages of its own, has no use for them.
TEAM_REPORTS = {
    "traductions",
    "locked-pages",
    "workflows",
    "workflow-tasks",
    "site-history",
    "aging-pages",
    "page-types-usage",
}


@hooks.register("construct_reports_menu")
def keep_page_reports_for_the_team(request, menu_items):
    if not request.user.has_perm(TEAM_PERMISSION):
        menu_items[:] = [item for item in menu_items if item.name not in TEAM_REPORTS]


# After Wagtail's own items (pages, images, documents), which it removes.
@hooks.register("construct_homepage_summary_items", order=100)
def keep_site_summary_for_the_team(request, summary_items):
    """ "2 Pages, 0 Image" says nothing to an association member: its own things are
    in the panels its app adds (see bénévolat's wagtail_hooks.py)."""
    if not request.user.has_perm(TEAM_PERMISSION):
        summary_items.clear()


@hooks.register("construct_homepage_panels")
def pages_to_moderate(request, panels):
    """The moderators' work: how many pages wait for their decision, and the list."""
    count = admin_views.pages_awaiting_review(request.user)
    if count is None:
        return
    panels.append(
        CountsPanel(
            _("Pages"),
            [
                (
                    _("Pages to moderate"),
                    count,
                    reverse("wagtailadmin_reports:workflow")
                    + "?reviewable=true&status=in_progress",
                )
            ],
            order=90,
        )
    )


# The editor's actions in plain words: "Soumettre à Validation communication",
# "Relancer le workflow" and "Annuler le workflow" are Wagtail's jargon; what they do
# is send the page to the communication team, or take it back.


class SendForValidationMenuItem(SubmitForModerationMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page is not None and page.pk else None
        if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = _("Send again to the communication team")
        else:
            context["label"] = _("Send to the communication team for validation")
        return context


class TakeBackMenuItem(CancelWorkflowMenuItem):
    label = _("Take back from validation")


class SendAgainMenuItem(RestartWorkflowMenuItem):
    label = _("Send again from the start")


PLAIN_ACTIONS = {
    SubmitForModerationMenuItem: SendForValidationMenuItem,
    CancelWorkflowMenuItem: TakeBackMenuItem,
    RestartWorkflowMenuItem: SendAgainMenuItem,
}


@hooks.register("construct_page_action_menu")
def plain_workflow_words(menu_items, request, context):
    for position, item in enumerate(menu_items):
        plain = PLAIN_ACTIONS.get(type(item))
        if plain is not None:
            menu_items[position] = plain(order=item.order)


@hooks.register("before_edit_page")
def show_the_changes_asked(request, page):
    """After "Demander des modifications", the moderator's comment at the top of the
    editor: Wagtail keeps it in the workflow's history, two clicks away from the
    person who has to act on it."""
    if request.method != "GET":
        return
    state = page.current_workflow_state
    if state is None or state.status != state.STATUS_NEEDS_CHANGES:
        return
    task_state = state.current_task_state.specific if state.current_task_state else None
    comment = task_state.get_comment() if task_state is not None else ""
    if comment:
        text = gettext(
            "The communication team asks for changes: “%(comment)s” Make them, then "
            "click “Send again to the communication team”."
        ) % {"comment": comment}
    else:
        text = gettext(
            "The communication team asks for changes. Make them, then click “Send again "
            "to the communication team”."
        )
    messages.warning(request, text)


UNFINISHED_DRAFTS_SHOWN = 3
# How recent an editor's own never-published draft must be to be taken for the
# autosave of the form they are now sending.
AUTOSAVED_COPY_AGE = timedelta(minutes=30)


def never_published_drafts(request, parent_page, page_class):
    """The pages of this kind the editor started here and never published: Wagtail 8's
    autosave makes one as soon as a new page's form is typed in. (Those sent to the
    team have a workflow state: the callers leave them alone.)"""
    return page_class.objects.child_of(parent_page).filter(
        owner=request.user, live=False, first_published_at__isnull=True
    )


@hooks.register("before_create_page")
def replace_the_autosaved_copy(request, parent_page, page_class):
    """Wagtail 8's first autosave of a new page creates it, then the browser moves the
    form to that page's edit address. Publish (or save) clicked before the move posts
    the form to "add" again, which then fails on its own slug ("adresse déjà
    utilisée", on a tab the editor may not even see) and leaves the autosaved copy as a
    draft. That copy is the same form, saved moments before: the form being sent
    replaces it."""
    slug = request.POST.get("slug", "").strip() if request.method == "POST" else ""
    if not slug or not request.accepts("text/html"):
        return  # not a form sent by its buttons (an autosave asks for JSON)
    copies = never_published_drafts(request, parent_page, page_class).filter(
        slug=slug, latest_revision_created_at__gte=timezone.now() - AUTOSAVED_COPY_AGE
    )
    for copy in copies:
        if copy.current_workflow_state is None:  # sent to the team: not a leftover
            copy.delete()


@hooks.register("before_create_page")
def offer_the_unfinished_drafts(request, parent_page, page_class):
    """Wagtail 8 saves a new page as a draft as soon as its editor types (autosave):
    a form left half-filled is kept, not lost. Coming back to "add" the same kind of
    page, the editor is first offered the drafts they started there and never sent
    nor published, rather than starting over beside them."""
    if request.method != "GET":
        return
    drafts = never_published_drafts(request, parent_page, page_class).order_by(
        "-latest_revision_created_at"
    )
    for draft in drafts[:UNFINISHED_DRAFTS_SHOWN]:
        if draft.current_workflow_state is not None:
            continue  # sent to the team: not abandoned
        admin_messages.info(
            request,
            gettext("You already started “%(title)s” here and have not sent it yet.")
            % {"title": draft.get_admin_display_title()},
            buttons=[
                admin_messages.button(
                    reverse("wagtailadmin_pages:edit", args=[draft.pk]),
                    gettext("Go on with this draft"),
                    new_window=False,
                )
            ],
        )


# The editor's guide in French (the site's own, or settings.EDITOR_GUIDE_URL), in the
# help menu as on the dashboard (templates/wagtailadmin/home/account_summary.html):
# Wagtail links to the English guide whatever the admin's language, and to release
# notes only in English.
@hooks.register("construct_help_menu")
def link_the_french_editor_guide(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith("whats-new")]
    for item in menu_items:
        if item.name == "editor-guide":
            item.url = editor_guide_url()
            if "://" not in item.url:
                item.attrs = {}  # the site's own guide: opened here, not in a new tab
