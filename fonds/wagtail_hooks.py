"""The fund's team in the Wagtail admin: the applications (instruction, committee
decision, publication in the gallery) and the partners. Reading applications needs
the "view" or "change" permission of fund applications, which only the group
"Fonds d'initiative citoyenne — comité" (created by the migrations) has:
association accounts and editors never see them unless given that role."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from home.exports import FrenchSpreadsheetExportMixin
from home.models import Commune

from . import views
from .forms import ApplicationAdminForm
from .indicators import measured_sources
from .models import Application, Partner


class ApplicationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=Application.Status.choices)
    commune = django_filters.ModelChoiceFilter(
        label=_("commune déléguée"), queryset=Commune.objects.all()
    )
    committee_date = django_filters.DateFromToRangeFilter(
        label=_("committee meeting"), widget=DateRangePickerWidget
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("received on"), widget=DateRangePickerWidget
    )
    is_published = django_filters.BooleanFilter(label=_("published"))

    class Meta:
        model = Application
        fields = ["status", "commune", "committee_date", "created_at", "is_published"]


class ApplicationIndexView(FrenchSpreadsheetExportMixin, IndexView):
    pass


class ApplicationViewSet(ModelViewSet):
    model = Application
    index_view_class = ApplicationIndexView
    name = "fund_application"
    url_prefix = "fonds/demandes"
    icon = "form"
    menu_label = _("Applications")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 30
    ordering = ["-created_at"]
    search_fields = ["title", "summary", "public_title"]
    filterset_class = ApplicationFilterSet
    list_display = [
        "title",
        Column("reference", label=_("reference"), sort_key="pk"),
        Column("commune", label=_("commune déléguée"), sort_key="commune__sort_order"),
        Column("get_status_display", label=_("status"), sort_key="status"),
        Column("service", label=_("service in charge")),
        DateColumn("committee_date", label=_("committee meeting"), sort_key="committee_date"),
        DateColumn("created_at", label=_("received on"), sort_key="created_at"),
        BooleanColumn("is_published", label=_("published")),
    ]
    # For preparing the committee and counting: the applicant's contact details stay
    # in the admin (the spreadsheet leaves it, and is kept who knows where).
    list_export = [
        "reference",
        "created_at",
        "title",
        "summary",
        "commune",
        "get_carrier_display",
        "association",
        "collective_name",
        "amount_requested",
        "materials_requested",
        "skills_requested",
        "planned_date",
        "get_status_display",
        "service",
        "committee_date",
        "granted_amount",
        "decided_at",
        "is_published",
    ]
    export_headings = {
        "reference": _("Reference"),
        "get_carrier_display": _("Carried by"),
        "get_status_display": _("Status"),
    }
    export_filename = "demandes-fonds-initiative"
    inspect_view_fields = [
        "created_at",
        "title",
        "summary",
        "commune",
        "carrier",
        "association",
        "collective_name",
        "amount_requested",
        "materials_requested",
        "skills_requested",
        "planned_date",
        "contact_name",
        "email",
        "phone",
        "status",
        "service",
        "internal_notes",
        "info_request",
        "info_answer",
        "committee_date",
        "granted_amount",
        "granted_materials",
        "granted_skills",
        "refusal_reason",
        "decided_at",
        "is_published",
        "public_title",
        "public_summary",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("created_at", read_only=True),
                    FieldPanel("title", read_only=True),
                    FieldPanel("summary", read_only=True),
                    FieldPanel("commune"),
                    FieldPanel("carrier", read_only=True),
                    FieldPanel("association", read_only=True),
                    FieldPanel("collective_name", read_only=True),
                    FieldPanel("amount_requested", read_only=True),
                    FieldPanel("materials_requested", read_only=True),
                    FieldPanel("skills_requested", read_only=True),
                    FieldPanel("planned_date", read_only=True),
                    FieldPanel("contact_name", read_only=True),
                    FieldPanel("email", read_only=True),
                    FieldPanel("phone", read_only=True),
                ],
                heading=_("The application"),
            ),
            HelpPanel(heading=_("Attachment"), template="fonds/admin/attachment_panel.html"),
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("service"), FieldPanel("internal_notes")],
                heading=_("Instruction"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("info_request"),
                    FieldPanel("send_info_request"),
                    FieldPanel("info_requested_at", read_only=True),
                    FieldPanel("info_answer", read_only=True),
                    FieldPanel("info_answered_at", read_only=True),
                ],
                heading=_("Request for more information"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("committee_date"),
                    FieldPanel("granted_amount"),
                    FieldPanel("granted_materials"),
                    FieldPanel("granted_skills"),
                    FieldPanel("partners"),
                    FieldPanel("refusal_reason"),
                    FieldPanel("send_decision"),
                    FieldPanel("decided_at", read_only=True),
                ],
                heading=_("Committee decision"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("is_published"),
                    FieldPanel("public_title"),
                    FieldPanel("public_summary"),
                    FieldPanel("public_account"),
                    FieldPanel("public_image"),
                ],
                heading=_("Publication in the gallery of supported projects"),
            ),
        ],
        base_form_class=ApplicationAdminForm,
    )

    def get_urlpatterns(self):
        urls = [url for url in super().get_urlpatterns() if url.name != "add"]
        return [
            *urls,
            path("<int:pk>/piece-jointe/", views.application_attachment, name="attachment"),
        ]

    def get_index_view_kwargs(self, **kwargs):
        # Applications come from residents only: the team never creates one here.
        return super().get_index_view_kwargs(add_url_name=None, **kwargs)


class PartnerViewSet(ModelViewSet):
    model = Partner
    name = "fund_partner"
    url_prefix = "fonds/partenaires"
    icon = "group"
    menu_label = _("Partners")
    form_fields = ["name", "kind", "offers", "website", "is_active"]
    list_display = ["name", Column("get_kind_display", label=_("kind")), "is_active"]
    search_fields = ["name", "offers"]


class FundGroup(ViewSetGroup):
    menu_label = _("Fonds d'initiative citoyenne")
    menu_icon = "pick"
    menu_order = 260
    items = [ApplicationViewSet, PartnerViewSet]


@hooks.register("register_admin_viewset")
def register_fund_viewsets():
    return FundGroup()


# What the plan's indicators may count (actions.sources).


@hooks.register("indicator_sources")
def indicator_sources():
    return measured_sources()
