from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext_lazy

from wagtail.images import get_image_model

from home.forms import handle_public_form
from home.photos import MAX_UPLOAD_SIZE

from .forms import ApplicationForm, InformationAnswerForm
from .models import Application, yearly_totals

SESSION_KEY = "fund_application"
TOO_LARGE_MESSAGE = gettext_lazy(
    "Your application is too large to be sent: the attachment must weigh at most 8 MB. "
    "Please send it again with a smaller file."
)
CLOSED_MESSAGE = gettext_lazy(
    "The call for projects is closed: no application can be sent for now. The next call "
    "will be announced on this page."
)
PROJECTS_PER_PAGE = 12
GALLERY_IMAGE = "width-800|format-webp"  # a filter of home.renditions.PUBLIC_FILTER_SPECS


def _private(response):
    # The tracking link is the applicant's own: never cached, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def fund_form(request, page):
    def save(form):
        application = form.save(commit=False)
        application.fund_page = page
        application.language = get_language() or "fr"
        application.save()
        application.queue_receipt_emails(page.answer_within_days)
        return application

    def thanks(application):
        if application is not None:  # the confirmation gives the reference and the link
            request.session[SESSION_KEY] = application.pk
        return HttpResponseRedirect(page.url + page.reverse_subpage("confirmation"), status=303)

    def render(form, refusal, status):
        context = page.get_context(request)
        context.update({"form": form, "refusal": refusal})
        return TemplateResponse(request, "fonds/fund_page.html", context, status=status)

    return handle_public_form(
        request,
        make_form=lambda data=None, files=None: ApplicationForm(data, files, page=page),
        save=save,
        thanks=thanks,
        render=render,
        scope="fund",
        closed="" if page.is_open else CLOSED_MESSAGE,
        max_body_size=MAX_UPLOAD_SIZE + 512 * 1024,  # the attachment and the text fields
        too_large_message=TOO_LARGE_MESSAGE,
    )


def fund_confirmation(request, page):
    application = None
    application_id = request.session.get(SESSION_KEY)
    if application_id:
        application = Application.objects.filter(pk=application_id).first()
    context = page.get_context(request)
    context["application"] = application
    return _private(TemplateResponse(request, "fonds/fund_confirmation.html", context))


def fund_tracking(request, page, token):
    application = Application.from_tracking_token(token)
    if application is None:
        raise Http404
    tracking_url = page.url + page.reverse_subpage("tracking", args=[token])
    awaiting_answer = application.status == Application.Status.INFO_REQUESTED

    def save(form):
        application.answer_information(form.cleaned_data["answer"])
        return application

    def render(form, refusal, status):
        context = page.get_context(request)
        context.update(
            {
                "application": application,
                "form": form,
                "refusal": refusal,
                "tracking_url": tracking_url,
                "answered": request.GET.get("envoye") == "1",
            }
        )
        return _private(
            TemplateResponse(request, "fonds/fund_tracking.html", context, status=status)
        )

    if request.method != "POST" and not awaiting_answer:
        return render(None, None, 200)
    return handle_public_form(
        request,
        make_form=lambda data=None, files=None: InformationAnswerForm(data),
        save=save,
        thanks=tracking_url + "?envoye=1",
        render=render,
        scope="fund-answer",
        closed="" if awaiting_answer else gettext_lazy("No information is awaited from you now."),
    )


def fund_gallery(request, page):
    """The projects the fund supported, as the team published them, with the yearly
    totals: a fixed number of queries whatever the number of projects."""
    projects = (
        Application.objects.published()
        .select_related("commune")
        .prefetch_related(
            "partners",
            Prefetch(
                "public_image",
                queryset=get_image_model().objects.prefetch_renditions(GALLERY_IMAGE),
            ),
        )
        .order_by("-decided_at", "-pk")
    )
    page_obj = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    projects = list(page_obj.object_list)
    for project in projects:
        if project.public_image is not None:  # made in advance (home.renditions): no query
            project.gallery_photo = project.public_image.get_rendition(GALLERY_IMAGE)
    context = page.get_context(request)
    context.update({"page_obj": page_obj, "projects": projects, "totals": yearly_totals()})
    return TemplateResponse(request, "fonds/fund_gallery.html", context)


# Admin views ---------------------------------------------------------------------


def can_read_applications(user):
    return user.is_active and (
        user.has_perm("fonds.view_application") or user.has_perm("fonds.change_application")
    )


def application_attachment(request, pk):
    """The applicant's attachment, for the fund's team only (never a public media URL)."""
    if not can_read_applications(request.user):
        raise PermissionDenied
    application = get_object_or_404(Application, pk=pk)
    if not application.attachment:
        raise Http404
    is_pdf = application.attachment.name.endswith(".pdf")
    response = FileResponse(
        application.attachment.open("rb"),
        content_type="application/pdf" if is_pdf else "image/jpeg",
        as_attachment=is_pdf,
        filename=f"{application.reference}.{'pdf' if is_pdf else 'jpg'}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
