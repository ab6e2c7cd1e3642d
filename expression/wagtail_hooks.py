"""The staff's side in the Wagtail admin: the citizens' messages (processing, answer,
publication, CSV export), the answer templates, the services, and the summary for
the comité de pilotage. Reading messages needs the "view" or "change" permission of
citizen messages: association accounts and editors without it never see them."""

from django import forms
from django.db.models import Count
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.actions.edit import EditAction
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import HistoryView, IndexView
from wagtail.admin.views.generic.history import ActionColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.models import Locale

import django_filters

from actions.models import ActionPage
from home.admin_panels import CountsPanel
from home.bulk_actions import BulkActionsListingMixin, ListingBulkAction
from home.exports import FrenchSpreadsheetExportMixin
from home.locales import in_default_locale
from home.models import Commune
from home.page_cache import cached_until_published
from home.routing import find_site

from . import views
from .forms import SubmissionAdminForm
from .indicators import measured_sources
from .models import (
    AnswerTemplate,
    ExpressionPage,
    FormPage,
    QuestionsAnswersPage,
    Service,
    Submission,
    action_section,
    home_highlight,
    search_answers,
)


class SubmissionFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Submission.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=Submission.Status.choices)
    commune = django_filters.ModelChoiceFilter(
        label=_("commune déléguée"), queryset=Commune.objects.all()
    )
    action = django_filters.ModelChoiceFilter(
        label=_("action of the plan"),
        queryset=lambda request: in_default_locale(ActionPage.objects.order_by("number")),
        method="filter_action",
    )
    service = django_filters.ModelChoiceFilter(
        label=_("assigned to"), queryset=Service.objects.all(), null_label=_("no service yet")
    )
    is_published = django_filters.BooleanFilter(label=_("published"))
    created_at = django_filters.DateFromToRangeFilter(
        label=_("received on"), widget=DateRangePickerWidget
    )

    def filter_action(self, queryset, name, action):
        # A message sent from the English site names the English copy of the action.
        if not action:
            return queryset
        return queryset.filter(action__translation_key=action.translation_key)

    class Meta:
        model = Submission
        fields = ["kind", "status", "commune", "action", "service", "is_published", "created_at"]


class SubmissionIndexView(BulkActionsListingMixin, FrenchSpreadsheetExportMixin, IndexView):
    def get_header_buttons(self):
        return [
            *super().get_header_buttons(),
            HeaderButton(
                _("Summary for the comité de pilotage"),
                url=reverse("expression-summary:index"),
                icon_name="table",
            ),
        ]


class SubmissionEditAction(EditAction):
    """Editing a message, from its screen or from the listing's bulk actions: the
    same save (which emails a newly assigned service), and a history that says in
    words what the staff did."""

    def _edit(self, skip_permission_checks=False):
        before = (
            Submission.objects.filter(pk=self.instance.pk)
            .values("service_id", "status", "is_published")
            .get()
        )
        instance = super()._edit(skip_permission_checks=skip_permission_checks)
        instance.log_processing(before, self.user)
        return instance


@hooks.register("register_actions")
def register_submission_edit_action(registry):
    registry.register(Submission, SubmissionEditAction)


@hooks.register("register_log_actions")
def register_processing_log_actions(actions):
    @actions.register_action("expression.answer")
    class AnswerSent(LogFormatter):
        label = _("Answer")

        def format_message(self, log_entry):
            if log_entry.data.get("emailed"):
                return gettext("Answer emailed to the citizen")
            return gettext("Answer written (anonymous message: no email)")

    @actions.register_action("expression.assign")
    class Assigned(LogFormatter):
        label = _("Assignment to a service")

        def format_message(self, log_entry):
            return gettext("Assigned to %(service)s") % {"service": log_entry.data["service"]}

    @actions.register_action("expression.status")
    class StatusChanged(LogFormatter):
        label = _("Change of status")

        def format_message(self, log_entry):
            labels = dict(Submission.Status.choices)
            return gettext("Status: %(old)s → %(new)s") % {
                "old": labels.get(log_entry.data["from"], log_entry.data["from"]),
                "new": labels.get(log_entry.data["to"], log_entry.data["to"]),
            }

    actions.register_action(
        "expression.publish",
        _("Publication"),
        _("Published in the questions and answers, without personal data"),
    )
    actions.register_action(
        "expression.unpublish",
        _("Withdrawal"),
        _("Withdrawn from the questions and answers"),
    )


class ProcessingColumn(ActionColumn):
    """The history's "Action" column, with the answer as it was sent and the link
    to the published question."""

    cell_template_name = "expression/admin/history_action_cell.html"


class SubmissionHistoryView(HistoryView):
    @cached_property
    def columns(self):
        first, *others = super().columns
        return [
            ProcessingColumn(
                first.name,
                label=first.label,
                object=first.object,
                url_names=first.url_names,
                user_can_unschedule=first.user_can_unschedule,
            ),
            *others,
        ]


# Bulk actions on the listing: each message goes through the edit action above.


def edit_submission(submission, user):
    SubmissionEditAction(submission, user=user).execute(skip_permission_checks=True)


class ServiceForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Municipal service"),
        queryset=Service.objects.all(),
        empty_label=_("Choose a service"),
    )


class AssignBulkAction(ListingBulkAction):
    models = [Submission]
    display_name = _("Assign to a service")
    action_type = "assign"
    aria_label = _("Assign the selected messages to a service")
    question = _("Assign these messages to the service chosen below? It is emailed each of them.")
    confirm_label = _("Assign")
    form_class = ServiceForm
    action_priority = 10
    header_icon = "group"

    def apply(self, submission, service):
        if submission.service_id == service.pk:
            return False
        submission.service = service
        edit_submission(submission, self.request.user)
        return True

    def get_success_message(self, changed, unchanged):
        return ngettext(
            "%(count)d message assigned to %(service)s.",
            "%(count)d messages assigned to %(service)s.",
            changed,
        ) % {"count": changed, "service": self.cleaned_form.cleaned_data["service"]}


class CloseBulkAction(ListingBulkAction):
    models = [Submission]
    display_name = _("Mark as processed")
    action_type = "close"
    aria_label = _("Mark the selected messages as processed")
    question = _(
        "Mark these messages as processed (closed)? They stay in the listing, "
        "filtered by status; no email is sent."
    )
    confirm_label = _("Mark as processed")
    action_priority = 20
    header_icon = "check"

    def apply(self, submission):
        if submission.status == Submission.Status.CLOSED:
            return False
        submission.status = Submission.Status.CLOSED
        edit_submission(submission, self.request.user)
        return True

    def get_success_message(self, changed, unchanged):
        return ngettext(
            "%(count)d message marked as processed.",
            "%(count)d messages marked as processed.",
            changed,
        ) % {"count": changed}


for bulk_action in (AssignBulkAction, CloseBulkAction):
    hooks.register("register_bulk_action", bulk_action)


class SubmissionViewSet(ModelViewSet):
    model = Submission
    index_view_class = SubmissionIndexView
    history_view_class = SubmissionHistoryView
    name = "submission"
    url_prefix = "expression/messages"
    icon = "mail"
    menu_label = _("Citizen messages")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 30
    ordering = ["-created_at"]
    search_fields = ["subject", "message", "answer", "public_title"]
    filterset_class = SubmissionFilterSet
    list_display = [
        "subject",
        Column("reference", label=_("reference"), sort_key="pk"),
        Column("get_kind_display", label=_("kind"), sort_key="kind"),
        Column("commune", label=_("commune déléguée"), sort_key="commune__sort_order"),
        Column("get_status_display", label=_("status"), sort_key="status"),
        Column("service", label=_("assigned to")),
        DateColumn("created_at", label=_("received on"), sort_key="created_at"),
        BooleanColumn("is_published", label=_("published")),
    ]
    # The export is for counting and follow-up: it holds no name nor email.
    list_export = [
        "reference",
        "created_at",
        "get_kind_display",
        "get_status_display",
        "commune",
        "action",
        "service",
        "subject",
        "message",
        "answer",
        "answered_at",
        "is_published",
    ]
    export_headings = {
        "reference": _("reference"),
        "created_at": _("received on"),
        "get_kind_display": _("kind"),
        "get_status_display": _("status"),
        "commune": _("commune déléguée"),
        "action": _("action of the plan"),
        "service": _("assigned to"),
        "subject": _("subject"),
        "message": _("message"),
        "answer": _("answer"),
        "answered_at": _("answer emailed on"),
        "is_published": _("published"),
    }
    export_filename = "messages-citoyens"
    inspect_view_fields = [
        "created_at",
        "kind",
        "subject",
        "message",
        "commune",
        "action",
        "name",
        "email",
        "status",
        "service",
        "internal_notes",
        "answer",
        "answered_at",
        "is_published",
        "public_title",
        "public_question",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("created_at", read_only=True),
                    FieldPanel("kind"),
                    FieldPanel("subject", read_only=True),
                    FieldPanel("message", read_only=True),
                    FieldPanel("commune"),
                    FieldPanel("action"),
                    FieldPanel("name", read_only=True),
                    FieldPanel("email", read_only=True),
                ],
                heading=_("The citizen's message"),
            ),
            HelpPanel(heading=_("Photo"), template="expression/admin/photo_panel.html"),
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("service"), FieldPanel("internal_notes")],
                heading=_("Processing"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("answer_template"),
                    FieldPanel("answer"),
                    FieldPanel("send_answer"),
                    FieldPanel("answered_at", read_only=True),
                ],
                heading=_("Answer"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("is_published"),
                    FieldPanel("public_title"),
                    FieldPanel("public_question"),
                ],
                heading=_("Publication in the questions and answers"),
            ),
        ],
        base_form_class=SubmissionAdminForm,
    )

    def get_urlpatterns(self):
        urls = [url for url in super().get_urlpatterns() if url.name != "add"]
        return [
            *urls,
            path("<int:pk>/photo/", views.submission_photo, name="photo"),
        ]

    def get_index_view_kwargs(self, **kwargs):
        # Messages come from citizens only: the staff never create one here.
        return super().get_index_view_kwargs(add_url_name=None, **kwargs)


class AnswerTemplateViewSet(ModelViewSet):
    model = AnswerTemplate
    icon = "doc-full"
    menu_label = _("Answer templates")
    form_fields = ["title", "body"]
    list_display = ["title"]
    search_fields = ["title", "body"]


class ServiceViewSet(ModelViewSet):
    model = Service
    icon = "group"
    menu_label = _("Municipal services")
    form_fields = ["name", "email"]
    list_display = ["name", "email"]


class SummaryViewSet(ViewSet):
    """The counts by kind and status for the comité de pilotage (plan action 2)."""

    name = "expression-summary"
    icon = "table"
    menu_label = _("Summary for the comité de pilotage")

    def get_urlpatterns(self):
        return [path("", views.submissions_summary, name="index")]

    @property
    def menu_item_class(self):
        class SummaryMenuItem(MenuItem):
            def is_shown(self, request):
                return views.can_read_submissions(request.user)

        return SummaryMenuItem


class ExpressionGroup(ViewSetGroup):
    menu_label = _("Citizen expression")
    menu_icon = "help"
    menu_order = 250
    items = [SubmissionViewSet, SummaryViewSet, AnswerTemplateViewSet, ServiceViewSet]


@hooks.register("register_admin_viewset")
def register_expression_viewsets():
    return ExpressionGroup()


@hooks.register("filter_form_submissions_for_user")
def french_forms_only(user, pages):
    """The Forms list shows each form once, as its French page: the answers given on
    its English copy are listed with the French page's (FormPage.get_submissions)."""
    return in_default_locale(pages)


@hooks.register("register_admin_urls")
def register_form_summary_url():
    return [
        path(
            "expression/forms/<int:page_id>/summary/",
            views.form_summary,
            name="expression_form_summary",
        )
    ]


# What citizens' messages show on the pages of the apps below them.


@hooks.register("home_page_highlights", order=40)
def latest_answers(home_page, sections, commune=None):
    return home_highlight(
        home_page, sections.get(QuestionsAnswersPage), sections.get(ExpressionPage)
    )


# The home page keeps the section until a published answer purges this tag.
latest_answers.cache_tags = ("answers",)


hooks.register("action_page_sections", action_section, order=30)
# An action page keeps the section until a published answer purges this tag.
action_section.cache_tags = ("answers",)

hooks.register("search_other_content", search_answers)


# What the plan's indicators may count (actions.sources).


@hooks.register("indicator_sources")
def indicator_sources():
    return measured_sources()


@hooks.register("construct_homepage_panels")
def new_messages(request, panels):
    """The participation staff's work: the citizens' new messages, per service they
    are assigned to (and those assigned to none yet), each a link to the listing."""
    if not views.can_read_submissions(request.user):
        return
    received = Submission.objects.filter(status=Submission.Status.RECEIVED)
    per_service = {
        row["service"]: row["count"]
        for row in received.order_by().values("service").annotate(count=Count("pk"))
    }

    def listing(service):
        filters = {"status": Submission.Status.RECEIVED, "service": service}
        return reverse("submission:index") + "?" + urlencode(filters)

    rows = [
        (_("New messages, not assigned yet"), per_service.get(None, 0), listing("null")),
        *(
            (
                _("New messages for %(service)s") % {"service": service.name},
                per_service.get(service.pk, 0),
                listing(service.pk),
            )
            for service in Service.objects.order_by("name")
        ),
    ]
    panels.append(CountsPanel(_("Citizen messages"), rows, order=110, name="messages"))


@hooks.register("footer_links")
def open_forms(request):
    """The forms the team builds (the satisfaction survey of plan action 9), linked
    from every page's footer in the reader's language, so citizens find them. Read
    once per generation (a new form, a title, an unpublication start a new one), like
    the rest of the footer."""
    site = find_site(request) if request is not None else None

    def links():
        forms = (
            FormPage.objects.live()
            .visible_to_public()
            .filter(locale=Locale.get_active())
            .order_by("path")
        )
        # "page" lets the footer mark a title still in French (lang="fr") on the English site.
        return [{"url": form.get_url(request), "label": form.title, "page": form} for form in forms]

    return cached_until_published(f"footer-forms:{site.pk if site else 0}:{get_language()}", links)
