from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import HeaderButton
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import SubmissionsListView
from wagtail.models import Page

from home.exports import FrenchSpreadsheetExportMixin
from home.forms import BoundedModelChoiceField, handle_public_form
from home.locales import default_locale_copy
from home.models import Commune
from home.page_cache import cached_until_published

from .forms import (
    ActionChoiceField,
    QuickPageSelect,
    QuickSelect,
    SubmissionForm,
    action_options,
    actions_for_locale,
    commune_options,
)
from .models import ExpressionPage, Submission, with_action_pages
from .models.messages import PUBLIC_STATUS_LABELS
from .photos import MAX_UPLOAD_SIZE, discard_kept_photo

SESSION_KEY = "expression_submission"
TOO_LARGE_MESSAGE = gettext_lazy(
    "Your message is too large to be sent: the photo must weigh at most 8 MB. "
    "Please write your message again with a smaller photo."
)
QUESTIONS_PER_PAGE = 10


# The expression page ------------------------------------------------------------


def expression_form(request, page):
    def make_form(data=None, files=None):
        initial = initial_from_query(request) if data is None else None
        return SubmissionForm(data, files, locale_id=page.locale_id, initial=initial)

    def save(form):
        submission = form.save(commit=False)
        submission.language = get_language() or "fr"
        submission.save()
        submission.queue_receipt_emails(
            page.answer_within_days, tracking_url=submission.tracking_url(page)
        )
        if form.kept_photo_reference:  # now stored with the message
            reference = form.kept_photo_reference
            transaction.on_commit(lambda: discard_kept_photo(reference))
        return submission

    def thanks(submission):
        if submission is not None:  # the confirmation repeats what was sent
            request.session[SESSION_KEY] = submission.pk
        return HttpResponseRedirect(page.url + page.reverse_subpage("confirmation"), status=303)

    return handle_public_form(
        request,
        make_form=make_form,
        save=save,
        thanks=thanks,
        render=lambda form, refusal, status: render_form(request, page, form, refusal, status),
        scope="expression",
        max_body_size=MAX_UPLOAD_SIZE + 512 * 1024,  # the photo and the text fields
        too_large_message=TOO_LARGE_MESSAGE,
    )


def initial_from_query(request):
    """A link from an action page ("ask a question about this action") preselects it."""
    initial = {}
    kind = request.GET.get("type", "")
    if kind in Submission.Kind.values:
        initial["kind"] = kind
    action = request.GET.get("action", "")
    if action.isdigit() and len(action) < 10:
        initial["action"] = int(action)
    return initial


def render_form(request, page, form, refusal, status):
    if form is not None and form.is_bound and hasattr(form, "cleaned_data"):
        form.keep_photo()  # refused: the photo need not be chosen again
    context = page.get_context(request)
    context.update(
        {
            "form": form,
            "refusal": refusal,
            "questions_answers_page": page.questions_answers_page(),
        }
    )
    return TemplateResponse(request, "expression/expression_page.html", context, status=status)


def expression_confirmation(request, page):
    submission = None
    submission_id = request.session.get(SESSION_KEY)
    if submission_id:
        submission = Submission.objects.filter(pk=submission_id).first()
    context = page.get_context(request)
    context.update(
        {
            "submission": submission,
            "tracking_url": submission.tracking_url(page) if submission else "",
            "questions_answers_page": page.questions_answers_page(),
        }
    )
    return TemplateResponse(request, "expression/expression_confirmation.html", context)


def expression_tracking(request, page, token):
    """A report's or a question's private page: its status and, once sent, the
    answer. No account: the signed link is the key, and names one message only."""
    submission = Submission.from_tracking_token(token)
    if submission is None or not submission.is_tracked:
        context = {**page.get_context(request), "submission": None}
        response = TemplateResponse(request, "expression/tracking.html", context, status=404)
    else:
        context = {
            **page.get_context(request),
            "submission": submission,
            "steps": tracking_steps(submission),
            "questions_answers_page": page.questions_answers_page(),
        }
        response = TemplateResponse(request, "expression/tracking.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def tracking_steps(submission):
    """The steps a message goes through, as its sender reads them, with the one it
    has reached."""
    order = submission.tracking_order()
    reached = order.index(submission.public_status_value())
    return [
        {
            "label": PUBLIC_STATUS_LABELS[value],
            "done": index <= reached,
            "current": index == reached,
        }
        for index, value in enumerate(order)
    ]


REPORTS_PER_PAGE = 20


def public_reports(request, page):
    """The reports of problems in the public space and where they stand, for
    everyone: commune, date, status, and the title the team wrote when it published
    one; never the sender's words, name or photo."""
    reports = (
        Submission.objects.filter(kind=Submission.Kind.REPORT)
        .select_related("commune")
        .only(
            "pk",
            "kind",
            "status",
            "created_at",
            "commune__name",
            "is_published",
            "public_title",
            "answer",
        )
        .order_by("-created_at", "-pk")
    )
    commune = BoundedModelChoiceField(
        queryset=Commune.objects.all(), required=False, to_field_name="slug"
    )
    try:
        chosen = commune.clean(request.GET.get("commune", ""))
    except forms.ValidationError:
        chosen = None
    if chosen is not None:
        reports = reports.filter(commune=chosen)
    page_obj = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    context = page.get_context(request)
    context.update(
        {
            "page_obj": page_obj,
            "reports": page_obj.object_list,
            "communes": Commune.objects.all(),
            "chosen_commune": chosen,
        }
    )
    return TemplateResponse(request, "expression/public_reports.html", context)


# The questions-and-answers page -------------------------------------------------


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    # Named in French like every public query parameter (the message's kind).
    type = forms.ChoiceField(label=gettext_lazy("Kind"), required=False, widget=QuickSelect)
    commune = BoundedModelChoiceField(
        label=gettext_lazy("Delegated commune"),
        queryset=Commune.objects.all(),
        required=False,
        widget=QuickSelect,
    )
    action = ActionChoiceField(
        label=gettext_lazy("Action of the plan"),
        queryset=Page.objects.none(),
        required=False,
        widget=QuickPageSelect,
    )

    def __init__(self, *args, locale_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All kinds")), *Submission.Kind.choices]
        self.fields["commune"].empty_label = _("All communes")
        self.fields["action"].queryset = actions_for_locale(locale_id)
        self.fields["action"].empty_label = _("All actions")
        # The options as their querysets give them, read once per publication: the
        # querysets are read only to check a choice.
        self.fields["commune"].widget.choices = [("", _("All communes")), *commune_options()]
        actions, languages = action_options(locale_id)
        self.fields["action"].widget.choices = [("", _("All actions")), *actions]
        self.fields["action"].widget.languages = languages


def questions_answers(request, page):
    form = QuestionFilterForm(request.GET or None, locale_id=page.locale_id)
    questions = Submission.objects.published().select_related("commune", "action")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            query = data["q"]
            questions = questions.filter(
                Q(public_title__icontains=query)
                | Q(public_question__icontains=query)
                | Q(answer__icontains=query)
            )
        if data["type"]:
            questions = questions.filter(kind=data["type"])
        if data["commune"]:
            questions = questions.filter(commune=data["commune"])
        if data["action"]:
            questions = questions.for_action(data["action"])
    questions = questions.order_by("-published_at", "-pk")
    paginator = Paginator(questions, QUESTIONS_PER_PAGE)
    if not (form.is_bound and form.is_valid() and any(form.cleaned_data.values())):
        # Unfiltered, the number of answers changes only when one is published.
        paginator.count = cached_until_published(
            "published-answers-count", questions.count, tags=("answers",)
        )
    page_obj = paginator.get_page(request.GET.get("page"))
    context = page.get_context(request)
    context.update(
        {
            "filter_form": form,
            "page_obj": page_obj,
            "questions": with_action_pages(page_obj.object_list, page.locale_id),
            "is_filtered": form.is_bound and any(form.data.get(name) for name in form.fields),
            "expression_page": expression_page_for(page),
        }
    )
    return TemplateResponse(request, "expression/questions_answers_page.html", context)


def expression_page_for(page):
    """The idea box in the page's language, linked from the questions and answers:
    read once per generation (and at most as long as a cached page lives, since a new
    idea box published outside the menu starts none)."""
    return cached_until_published(
        f"expression-page:{page.locale_id}",
        lambda: (
            ExpressionPage.objects.live().filter(locale_id=page.locale_id).order_by("path").first()
        ),
        timeout=settings.PAGE_CACHE_SECONDS,
    )


# Form pages built by the team ---------------------------------------------------


def serve_form_page(request, page):
    def render(form, refusal, status):
        context = {**page.get_context(request), "form": form, "refusal": refusal}
        return TemplateResponse(request, page.get_template(request), context, status=status)

    return handle_public_form(
        request,
        make_form=lambda data=None, files=None: page.get_form(
            data, files, page=page, user=request.user
        ),
        save=page.process_form_submission,
        # Wagtail's landing page, given the answers just stored to repeat them.
        thanks=lambda stored: page.render_landing_page(request, stored),
        render=render,
        scope=f"form-page-{page.pk}",
    )


class FormSubmissionsListView(FrenchSpreadsheetExportMixin, SubmissionsListView):
    """Wagtail's list of a form's answers, with a link to the results summary."""

    def get_header_buttons(self):
        return [
            *super().get_header_buttons(),
            HeaderButton(
                _("Results summary"),
                url=reverse("expression_form_summary", args=[self.form_page.pk]),
                icon_name="table",
            ),
        ]


# Admin views ---------------------------------------------------------------------


def can_read_submissions(user):
    return user.is_active and (
        user.has_perm("expression.view_submission") or user.has_perm("expression.change_submission")
    )


def submission_photo(request, pk):
    """The photo of a report, for the staff only (never a public media URL)."""
    if not can_read_submissions(request.user):
        raise PermissionDenied
    submission = get_object_or_404(Submission, pk=pk)
    if not submission.photo:
        raise Http404
    response = FileResponse(submission.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def submissions_summary(request):
    """Counts by kind and status, for the comité de pilotage (plan action 2)."""
    if not can_read_submissions(request.user):
        raise PermissionDenied
    form = SummaryFilterForm(request.GET or None)
    submissions = Submission.objects.all()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["received_from"]:
            submissions = submissions.filter(created_at__date__gte=data["received_from"])
        if data["received_to"]:
            submissions = submissions.filter(created_at__date__lte=data["received_to"])
        if data["commune"]:
            submissions = submissions.filter(commune=data["commune"])
    counts = {
        (row["kind"], row["status"]): row["count"]
        for row in submissions.values("kind", "status").annotate(count=Count("pk")).order_by()
    }
    statuses = Submission.Status.choices
    rows = []
    for kind, kind_label in Submission.Kind.choices:
        cells = [counts.get((kind, status), 0) for status, _label in statuses]
        rows.append({"label": kind_label, "cells": cells, "total": sum(cells)})
    totals = [sum(row["cells"][index] for row in rows) for index in range(len(statuses))]
    published = submissions.published().count()
    return TemplateResponse(
        request,
        "expression/admin/summary.html",
        {
            "page_title": _("Citizen messages: summary"),
            "header_title": _("Citizen messages: summary"),
            "header_icon": "table",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse("submission:index"), "label": _("Citizen messages")},
                {"url": "", "label": _("Summary for the comité de pilotage")},
            ],
            "form": form,
            "statuses": [label for _value, label in statuses],
            "rows": rows,
            "totals": totals,
            "grand_total": sum(totals),
            "published": published,
        },
    )


class SummaryFilterForm(forms.Form):
    received_from = forms.DateField(
        label=gettext_lazy("Received from"),
        required=False,
        widget=AdminDateInput,
    )
    received_to = forms.DateField(
        label=gettext_lazy("Received until"),
        required=False,
        widget=AdminDateInput,
    )
    commune = BoundedModelChoiceField(
        label=gettext_lazy("Delegated commune"), queryset=Commune.objects.all(), required=False
    )


def form_summary(request, page_id):
    """Counts per choice of a form page's choice fields, for the staff who may read
    its answers in Wagtail's Forms menu."""
    # The summary counts every copy's answers: it is the French page's.
    page = default_locale_copy(get_object_or_404(Page, pk=page_id).specific)
    if not get_forms_for_user(request.user).filter(pk=page.pk).exists():
        raise PermissionDenied
    if not hasattr(page, "choice_summary"):
        raise Http404
    return TemplateResponse(
        request,
        "expression/admin/form_summary.html",
        {
            "page_title": _("Results summary"),
            "header_title": _("Results summary: %(title)s") % {"title": page.title},
            "header_icon": "table",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse("wagtailforms:index"), "label": _("Forms")},
                {
                    "url": reverse("wagtailforms:list_submissions", args=[page.pk]),
                    "label": page.title,
                },
                {"url": "", "label": _("Results summary")},
            ],
            "form_page": page,
            "summary": page.choice_summary(),
        },
    )
