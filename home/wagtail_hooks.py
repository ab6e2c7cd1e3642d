from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

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
