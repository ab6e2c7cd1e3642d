"""Bulk actions on the listings of the staff's ModelViewSets (messages, volunteer
requests, ceremony sign-ups, volunteering hours), on Wagtail's bulk action framework
(`register_bulk_action`). Wagtail gives it to snippets, images, documents and users;
`BulkActionsListingMixin` gives a ModelViewSet's listing the same checkboxes and
footer, `ListingBulkAction` the same confirmation screen, with two rules of this site:

- an action sees only the rows of the listing as the user sees them: the viewset's
  permission policy scopes the rows (an association member's own requests), and
  "select all in listing" takes the listing's own query, filters and search included;
- each row goes through the single-item code path (`apply`), which emails, logs and
  refuses exactly as the edit screen does; a refused row is named, the others done.
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets import viewsets


def title_id(instance):
    return f"item_{quote(instance.pk)}_title"


class BulkActionsListingMixin:
    """Put before a ModelViewSet's IndexView: a checkbox on each row and the footer
    of the bulk actions registered for its model."""

    template_name = "home/admin/bulk_actions_index.html"

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="item"), *super().columns]

    def _get_title_column(self, *args, **kwargs):
        # The checkbox is described by the row's title, for screen readers.
        return super()._get_title_column(*args, get_title_id=title_id, **kwargs)


class ListingBulkAction(PermissionCheckedMixin, BulkAction):
    """One action on the rows chosen in a listing. Subclasses set `models`,
    `display_name`, `action_type`, `aria_label`, `question` and implement `apply`
    (return whether the row changed; raise ValidationError to refuse it)."""

    template_name = "home/admin/bulk_action_confirm.html"
    permission_required = "change"
    question = ""
    confirm_label = _("Yes, apply")
    cancel_label = _("No, go back")
    # The confirmation button's class: "serious" for what cannot be undone.
    button_class = ""

    def get_queryset(self, model, object_ids):
        # The rows the user may act on, never one out of their scope (not even its
        # name in the "not allowed" list); ids come from the query string.
        if not isinstance(object_ids, QuerySet):
            object_ids = [pk for pk in object_ids if str(pk).isdigit() and len(str(pk)) < 12]
        rows = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, [self.permission_required]
        )
        objects = list(rows.filter(pk__in=object_ids))
        if not objects:
            raise Http404
        return objects

    def get_all_objects_in_listing_query(self, parent_id):
        """ "All in listing": the listing's own query, with the filters and search
        the browser sends along."""
        viewset = next(
            viewset
            for viewset in viewsets.viewsets
            if getattr(viewset, "model", None) is self.model and hasattr(viewset, "index_view")
        )
        index = viewset.index_view
        view = index.view_class(**index.view_initkwargs)
        view.setup(self.request)
        return view.get_queryset().values_list("pk", flat=True)

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_required, obj
        )

    def object_context(self, obj):
        return {"item": obj, "edit_url": AdminURLFinder(self.request.user).get_edit_url(obj)}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action": self,
            "header_icon": getattr(self, "header_icon", "tasks"),
        }

    def get_execution_context(self):
        return self.cleaned_form.cleaned_data if self.cleaned_form else {}

    def apply(self, obj, **options):
        raise NotImplementedError

    def execute_action(self, objects, **options):
        self.changed, self.unchanged, self.refused = [], [], []
        for obj in objects:
            try:
                changed = self.apply(obj, **options)
            except ValidationError as error:
                self.refused.append((obj, " ".join(error.messages)))
            else:
                (self.changed if changed else self.unchanged).append(obj)
        return len(self.changed), len(self.unchanged)

    def form_valid(self, form):
        response = super().form_valid(form)
        for obj, reason in self.refused:
            messages.warning(
                self.request, gettext("%(item)s: %(reason)s") % {"item": obj, "reason": reason}
            )
        return response
