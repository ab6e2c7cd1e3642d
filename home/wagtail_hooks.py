from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
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


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path("donnees-personnelles/", admin_views.search, name="personal_data"),
        path("donnees-personnelles/export/", admin_views.export, name="personal_data_export"),
        path("donnees-personnelles/effacer/", admin_views.erase, name="personal_data_erase"),
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


# The editor's guide in French (settings.EDITOR_GUIDE_URL), in the help menu as on the
# dashboard (templates/wagtailadmin/home/account_summary.html): Wagtail links to the
# English guide whatever the admin's language, and to release notes only in English.
@hooks.register("construct_help_menu")
def link_the_french_editor_guide(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith("whats-new")]
    for item in menu_items:
        if item.name == "editor-guide":
            item.url = settings.EDITOR_GUIDE_URL
