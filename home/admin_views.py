"""Export and erasure of everything the site holds about one email address (RGPD,
articles 15 and 17), for superusers only: it cuts across every app's permissions
(citizens' messages, volunteering, ceremonies, the email queue), so it is the data
protection officer's tool, not a moderator's."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.log_actions import log
from wagtail.models import Page, Site, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import rgpd


class EmailForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=254)


class EraseForm(EmailForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm: delete or anonymise everything listed, for good."),
        required=True,
    )


def superuser_only(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def audit(request, action, email, counts):
    # The audit log names the person by a keyed hash, never by their address.
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is not None:
        log(
            site,
            action,
            user=request.user,
            title=_("Personal data of %(hash)s") % {"hash": rgpd.email_hash(email)},
            data={"email_hash": rgpd.email_hash(email), "counts": counts},
        )


def render_tool(request, form, erase_form=None, status=200):
    """The tool's page: the email asked, and when it is valid, what each processing
    holds about it, with the erasure form."""
    held = rgpd.held_about(form.cleaned_data["email"]) if form.is_valid() else None
    if erase_form is None:
        erase_form = EraseForm(initial=form.cleaned_data if held is not None else None)
    return TemplateResponse(
        request,
        "home/admin/personal_data.html",
        {
            "form": form,
            "held": held,
            "total": sum(len(rows) for _p, _m, rows in held or []),
            "erase_form": erase_form,
        },
        status=status,
    )


@superuser_only
def search(request):
    """Ask an email (POST, so that it stays out of addresses and server logs) and
    list what each processing holds about it."""
    form = EmailForm(request.POST or None)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render_tool(request, form, status=status)


@superuser_only
def export(request):
    form = EmailForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return HttpResponse(_("Give a valid email address."), status=400)
    email = form.cleaned_data["email"]
    data = rgpd.export(email)
    audit(
        request,
        "home.personal_data_exported",
        email,
        {item["processing"]: len(item["rows"]) for item in data["processings"]},
    )
    response = HttpResponse(
        json.dumps(data, cls=rgpd.ENCODER, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="donnees-{stamp}.json"'
    return response


@superuser_only
def erase(request):
    if request.method != "POST":
        return HttpResponseRedirect(reverse("personal_data"))
    form = EraseForm(request.POST)
    if not form.is_valid():
        return render_tool(request, EmailForm(request.POST), erase_form=form, status=400)
    email = form.cleaned_data["email"]
    counts = rgpd.erase(email)
    audit(request, "home.personal_data_erased", email, counts)
    messages.success(
        request,
        _("Erased: %(count)s rows deleted or anonymised.") % {"count": sum(counts.values())},
    )
    return HttpResponseRedirect(reverse("personal_data"))


def visible_pages(user):
    """The pages an editor may see in the admin's choosers: those it may explore
    (edit, or pass through to reach them), and every live public page to link to.
    An association member sees no other association's drafts."""
    if user.is_superuser:
        return Page.objects.all()
    explorable = PagePermissionPolicy().explorable_instances(user)
    return Page.objects.filter(
        Q(pk__in=explorable.values("pk")) | Q(pk__in=Page.objects.live().public().values("pk"))
    )


class ScopedChosenMultipleView(ChosenMultipleView):
    """Wagtail's answer to "these pages were chosen" gives the title of any id put
    in the address; it takes no chooser hook, so it is replaced (see urls.py)."""

    def get(self, request):
        visible = visible_pages(request.user).filter(pk__in=request.GET.getlist("id"))
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
        return super().get(request)


def pages_awaiting_review(user):
    """How many pages wait for this moderator's decision in their workflow, or None
    for a user who never moderates (an editor, an association member)."""
    if not PagePermissionPolicy().user_has_permission(user, "publish"):
        return None
    return TaskState.objects.reviewable_by(user).count()


def editor_guide(request):
    """The commune's own guide to its admin, in French: what each role does, with the
    names of this site's menus and buttons (Wagtail's guide knows neither)."""
    return TemplateResponse(request, "home/admin/editor_guide.html")
