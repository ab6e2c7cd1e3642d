from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import OutgoingEmail


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Emails are written by the forms only: the admin reads them, never edits."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(OutgoingEmail, ReadOnlyPolicy(OutgoingEmail))


class OutgoingEmailViewSet(ModelViewSet):
    """The email queue: after a mail-server outage the team sees what is still
    pending (sent later by `send_pending_emails`). Emails hold personal data: only
    users with the view permission (administrators) see this menu."""

    model = OutgoingEmail
    name = "outgoing_emails"
    menu_label = _("Outgoing emails")
    icon = "mail"
    menu_order = 900
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "subject",
        "to",
        Column("status", label=_("status"), accessor="get_status_display"),
        "attempts",
        DateColumn("created_at", label=_("created at")),
        DateColumn("sent_at", label=_("sent at")),
    ]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    inspect_view_fields = [
        "to",
        "reply_to",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    form_fields = ["to"]


@hooks.register("register_admin_viewset")
def register_outgoing_emails():
    return OutgoingEmailViewSet()
