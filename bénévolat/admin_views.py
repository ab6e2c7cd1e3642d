"""The admin of volunteer requests and hours.

Who sees what: the communication team (with the model's Django permission) sees
everything; an association member sees only what belongs to the association page
its group may change; nobody else sees anything. The permission policy says it
for Wagtail's menus and buttons, the views enforce it on every object.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail.actions.delete import DeleteAction
from wagtail.actions.edit import EditAction
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

import django_filters

from home.bulk_actions import BulkActionsListingMixin, ListingBulkAction
from home.exports import FrenchSpreadsheetExportMixin
from home.locales import in_default_locale

from .accounts import add_member, associations_of
from .models import AssociationPage, MissionPage, VolunteerHours, VolunteerRequest
from .reports import yearly_totals_csv


class AssociationScopedPolicy(ModelPermissionPolicy):
    """Model permission for the team; for association members, `member_actions`
    on the objects of their own association."""

    def __init__(self, model, member_actions, nobody=()):
        super().__init__(model)
        self.member_actions = set(member_actions)
        self.nobody = set(nobody)

    def is_team(self, user, action="change"):
        return user.is_active and user.has_perm(self._get_permission_name(action))

    def is_member(self, user, action):
        return user.is_active and action in self.member_actions and bool(associations_of(user))

    def user_has_permission(self, user, action):
        if action in self.nobody:
            return False
        return self.is_team(user, action) or self.is_member(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in self.nobody:
            return False
        if self.is_team(user, action):
            return True
        return self.is_member(user, action) and instance.association_id in associations_of(user)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.visible_to(user)

    def visible_to(self, user):
        objects = self.model._default_manager.all()
        if self.is_team(user, "view") or self.is_team(user, "change"):
            return objects
        if self.is_member(user, "view"):
            return objects.filter(association__in=associations_of(user))
        return objects.none()


# Requests come from citizens only: nobody adds one in the admin, superusers included.
requests_policy = AssociationScopedPolicy(VolunteerRequest, ["view", "change"], nobody=["add"])
hours_policy = AssociationScopedPolicy(VolunteerHours, ["view", "add", "change", "delete"])
register_permission_policy(VolunteerRequest, requests_policy)
register_permission_policy(VolunteerHours, hours_policy)


class ScopedObjectMixin:
    """Refuse, as "not allowed", an object outside the user's scope (never a 500).

    Wagtail's generic views fetch their object with two signatures (the edit and
    delete views take a queryset, the usage and history views nothing): pass on
    whatever they give."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        action = "delete" if isinstance(self, generic.DeleteView) else "change"
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, [action, "view"] if action == "change" else [action], instance
        ):
            raise PermissionDenied
        return instance


class ScopedIndexView(generic.IndexView):
    """The listing and its exports: only the rows of the user's scope."""

    list_select_related = ()

    def get_base_queryset(self):
        return self.permission_policy.visible_to(self.request.user).select_related(
            *self.list_select_related
        )


class ScopedEditView(ScopedObjectMixin, generic.EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass


class ScopedHistoryView(ScopedObjectMixin, generic.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, generic.UsageView):
    pass


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    pass


class AssociationScopedViewSet(ModelViewSet):
    """Every generic view Wagtail builds for the viewset goes through the scope of
    its permission policy: the usage and history of a row name the volunteer as
    much as its edit view does. Copying would open a prefilled form: it stays off,
    like the inspect view (tests/test_security_admin.py walks every object URL)."""

    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    inspect_view_enabled = False
    copy_view_enabled = False


def missions_for(request):
    """The missions a user may filter on: in the site's language (not their
    translations), and for an association member only its own."""
    missions = in_default_locale(MissionPage.objects.all())
    if (
        request is None
        or requests_policy.is_team(request.user, "view")
        or requests_policy.is_team(request.user)
    ):
        return missions.order_by("title")
    return missions.filter(association__in=associations_of(request.user)).order_by("title")


def associations_for(request):
    associations = in_default_locale(AssociationPage.objects.all())
    if (
        request is None
        or requests_policy.is_team(request.user, "view")
        or requests_policy.is_team(request.user)
    ):
        return associations.order_by("title")
    return associations.filter(pk__in=associations_of(request.user)).order_by("title")


class VolunteerRequestFilterSet(WagtailFilterSet):
    mission = django_filters.ModelChoiceFilter(label=_("mission"), queryset=missions_for)
    association = django_filters.ModelChoiceFilter(
        label=_("association"), queryset=associations_for
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("received at"), widget=DateRangePickerWidget
    )

    class Meta:
        model = VolunteerRequest
        fields = ["status", "structure", "association", "mission", "created_at"]


class VolunteerHoursFilterSet(WagtailFilterSet):
    mission = django_filters.ModelChoiceFilter(label=_("mission"), queryset=missions_for)
    association = django_filters.ModelChoiceFilter(
        label=_("association"), queryset=associations_for
    )
    date = django_filters.DateFromToRangeFilter(label=_("date"), widget=DateRangePickerWidget)
    validated = django_filters.BooleanFilter(
        label=_("validated"), field_name="validated_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = VolunteerHours
        fields = ["mission", "association", "date", "validated"]


class RequestIndexView(BulkActionsListingMixin, FrenchSpreadsheetExportMixin, ScopedIndexView):
    list_select_related = ("mission", "mission__association", "commune")


class VolunteerRequestViewSet(AssociationScopedViewSet):
    model = VolunteerRequest
    name = "benevolat_requests"
    menu_label = _("Volunteer requests")
    icon = "group"
    add_to_admin_menu = False
    index_view_class = RequestIndexView
    list_display = [
        "name",
        Column("mission", label=_("mission"), accessor="mission"),
        Column("structure_name", label=_("structure")),
        Column("status", label=_("status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("received at")),
    ]
    filterset_class = VolunteerRequestFilterSet
    search_fields = ["name", "email", "message", "interests"]
    list_export = [
        "created_at",
        "get_status_display",
        "mission",
        "structure_name",
        "name",
        "email",
        "phone",
        "commune",
        "interests",
        "availability",
        "message",
        "get_decline_reason_display",
        "internal_notes",
    ]
    export_headings = {
        "created_at": _("Received at"),
        "get_status_display": _("Status"),
        "mission": _("Mission"),
        "structure_name": _("Structure"),
        "name": _("Name"),
        "email": _("Email"),
        "phone": _("Phone"),
        "commune": _("Delegated commune"),
        "interests": _("Interests"),
        "availability": _("Availability"),
        "message": _("Message"),
        "get_decline_reason_display": _("Reason for declining"),
        "internal_notes": _("Internal notes"),
    }
    export_filename = "demandes-benevolat"
    ordering = ["-created_at"]

    def get_permissions_to_register(self):
        # No "add" in the admin: requests come from citizens.
        return super().get_permissions_to_register().exclude(codename__startswith="add_")


class HoursIndexView(BulkActionsListingMixin, FrenchSpreadsheetExportMixin, ScopedIndexView):
    list_select_related = ("mission", "mission__association")
    # The menu's words; the model's plural counts the rows ("3 saisies d'heures").
    page_title = _("Volunteering hours")

    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                gettext("Yearly totals of validated hours (CSV)"),
                url=reverse("benevolat_hours:yearly_totals"),
                icon_name="download",
            ),
        ]


def yearly_totals(request):
    """Validated hours per year and structure, as CSV for the annual reports, within
    what the user may see."""
    if not hours_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    entries = hours_policy.visible_to(request.user)
    year = request.GET.get("annee", "")
    if year.isdigit() and len(year) == 4:
        entries = entries.filter(date__year=int(year))
    return yearly_totals_csv(entries)


class VolunteerHoursViewSet(AssociationScopedViewSet):
    model = VolunteerHours
    name = "benevolat_hours"
    menu_label = _("Volunteering hours")
    icon = "time"
    add_to_admin_menu = False
    index_view_class = HoursIndexView
    list_display = [
        # The first column links each row to its edit screen (and names its checkbox).
        "volunteer_display",
        Column("mission", label=_("mission"), accessor="mission"),
        Column("structure_name", label=_("structure")),
        DateColumn("date", label=_("date")),
        "hours",
        BooleanColumn("is_validated", label=_("validated")),
    ]
    filterset_class = VolunteerHoursFilterSet
    list_export = [
        "date",
        "structure_name",
        "mission",
        "volunteer_display",
        "hours",
        "note",
        "created_at",
        "validated_at",
    ]
    export_headings = {
        "date": _("Date"),
        "structure_name": _("Structure"),
        "mission": _("Mission"),
        "volunteer_display": _("Volunteer"),
        "hours": _("Hours"),
        "note": _("Note"),
        "created_at": _("Recorded at"),
        "validated_at": _("Validated on"),
    }
    export_filename = "heures-benevolat"
    ordering = ["-date"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("totaux-annuels/", yearly_totals, name="yearly_totals"),
        ]


# Bulk actions on the listings: each row through Wagtail's edit (or delete) action, as
# its edit screen saves it, so the model's rules and emails apply to each.


class DeclineForm(forms.Form):
    decline_reason = forms.ChoiceField(
        label=_("Reason given to the volunteers"),
        # No reason chosen in advance: each decline says why, on purpose.
        choices=[("", _("Choose the reason")), *VolunteerRequest.DeclineReason.choices],
        help_text=_("Each volunteer receives it by email."),
    )


class AcceptBulkAction(ListingBulkAction):
    models = [VolunteerRequest]
    display_name = _("Accept")
    action_type = "accept"
    aria_label = _("Accept the selected requests")
    question = _("Accept these volunteers? A mission with no place left accepts nobody more.")
    confirm_label = _("Accept")
    action_priority = 10
    header_icon = "check"

    def apply(self, volunteer_request):
        if volunteer_request.status == VolunteerRequest.Status.ACCEPTED:
            return False
        volunteer_request.status = VolunteerRequest.Status.ACCEPTED
        EditAction(volunteer_request, user=self.request.user).execute(skip_permission_checks=True)
        return True

    def get_success_message(self, changed, unchanged):
        return ngettext("%(count)d request accepted.", "%(count)d requests accepted.", changed) % {
            "count": changed
        }


class DeclineBulkAction(ListingBulkAction):
    models = [VolunteerRequest]
    display_name = _("Decline")
    action_type = "decline"
    aria_label = _("Decline the selected requests")
    question = _(
        "Decline these requests? Each volunteer is emailed the reason chosen below "
        "(once: a request already declined is left as it is)."
    )
    confirm_label = _("Decline and email")
    form_class = DeclineForm
    action_priority = 20
    header_icon = "cross"

    def apply(self, volunteer_request, decline_reason):
        if volunteer_request.status == VolunteerRequest.Status.DECLINED:
            return False
        volunteer_request.status = VolunteerRequest.Status.DECLINED
        volunteer_request.decline_reason = decline_reason
        EditAction(volunteer_request, user=self.request.user).execute(skip_permission_checks=True)
        return True

    def get_success_message(self, changed, unchanged):
        return ngettext(
            "%(count)d request declined: the volunteer is emailed the reason.",
            "%(count)d requests declined: each volunteer is emailed the reason.",
            changed,
        ) % {"count": changed}


class ValidateHoursBulkAction(ListingBulkAction):
    models = [VolunteerHours]
    display_name = _("Validate")
    action_type = "validate"
    aria_label = _("Validate the selected hours")
    question = _("Validate these hours for the yearly reports?")
    confirm_label = _("Validate")
    action_priority = 10
    header_icon = "check"

    def check_perm(self, hours):
        # The communication team vouches for the hours; the structures record them.
        return hours_policy.is_team(self.request.user)

    def apply(self, hours):
        return hours.validate(self.request.user)

    def get_success_message(self, changed, unchanged):
        return ngettext(
            "%(count)d entry of hours validated.", "%(count)d entries of hours validated.", changed
        ) % {"count": changed}


class DeleteHoursBulkAction(ListingBulkAction):
    models = [VolunteerHours]
    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Delete the selected hours")
    question = _("Delete these hours for good?")
    confirm_label = _("Yes, delete")
    button_class = "serious"
    permission_required = "delete"
    action_priority = 30
    classes = {"serious"}
    header_icon = "bin"

    def apply(self, hours):
        DeleteAction(hours, user=self.request.user).execute(skip_permission_checks=True)
        return True

    def get_success_message(self, changed, unchanged):
        return ngettext(
            "%(count)d entry of hours deleted.", "%(count)d entries of hours deleted.", changed
        ) % {"count": changed}


BULK_ACTIONS = (AcceptBulkAction, DeclineBulkAction, ValidateHoursBulkAction, DeleteHoursBulkAction)


class VolunteeringGroup(ViewSetGroup):
    menu_label = _("Volunteering")
    menu_icon = "group"
    menu_order = 250
    items = (VolunteerRequestViewSet, VolunteerHoursViewSet)


class MemberAccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)


def create_member_account(request, page_id):
    """The admin's way to what `create_association_account` does: for the team
    members who may create users."""
    if not request.user.has_perm("auth.add_user"):
        raise PermissionDenied
    association = get_object_or_404(AssociationPage, pk=page_id)
    form = MemberAccountForm(request.POST or None)
    context = {"association": association, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            user, generated = add_member(association, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("username", error)
        else:
            context.update(member=user, password=generated)
    return TemplateResponse(request, "benevolat/admin/member_account.html", context)
