"""The staff's view of the subscriptions: how many follow each page, never who
(addresses are for the data-protection role, through Settings → Personal data), and
the next digest as its subscribers would receive it."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Page

from home.models import TEAM_PERMISSION

from .digests import next_digest
from .models import Subscription, Target, canonical_filters

ALERTS_ONLY = {Target.ACTION}


def team_only(view):
    """The communication team's report: an association member has no use for it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(TEAM_PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@team_only
def counts(request):
    rows = (
        Subscription.objects.values("page", "target", "filters")
        .annotate(
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            waiting=Count("pk", filter=Q(confirmed_at__isnull=True)),
        )
        .order_by("target", "page", "filters")
    )
    pages = Page.objects.in_bulk({row["page"] for row in rows})
    targets = dict(Target.choices)
    table = []
    for row in rows:
        page = pages[row["page"]]
        preview_url = ""
        if row["target"] not in ALERTS_ONLY:
            preview_url = reverse("follow_preview", args=[page.pk])
            if row["filters"]:
                preview_url += "?" + row["filters"]
        table.append(
            {
                **row,
                "page_obj": page,
                "target_label": targets[row["target"]],
                "description": Subscription(
                    page=page, target=row["target"], filters=row["filters"]
                ).describe(),
                "preview_url": preview_url,
            }
        )
    return TemplateResponse(
        request,
        "follow/admin/counts.html",
        {
            "page_title": _("Email subscriptions"),
            "header_title": _("Email subscriptions"),
            "header_icon": "mail",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": "", "label": _("Email subscriptions")},
            ],
            "rows": table,
            "total": sum(row["confirmed"] for row in table),
        },
    )


@team_only
def preview(request, page_id):
    """The next digest of a page's subscribers, rendered as the email's HTML, with
    placeholder links (the preview names no subscriber)."""
    page = get_object_or_404(Page, pk=page_id).specific
    subscription = (
        Subscription.objects.confirmed()
        .filter(page=page, filters=canonical_filters(request.GET))
        .first()
    )
    if subscription is None or subscription.target in ALERTS_ONLY:
        raise Http404
    found = next_digest(subscription, timezone.now())
    if found is None:
        return HttpResponse(
            _("Nothing new: no digest would be sent to this page's subscribers now."),
            content_type="text/plain; charset=utf-8",
        )
    template, context = found
    with translation.override(subscription.language):
        html = render_to_string(
            f"{template}_body.html",
            {
                **context,
                "subscription": subscription,
                "what": subscription.describe(),
                "page_url": subscription.page_url(),
                "unsubscribe_url": "#",
                "manage_url": "#",
                "commune_name": commune_name(),
            },
        )
    return HttpResponse(html)


def commune_name():
    from wagtail.models import Site

    from home.models import CommuneSettings

    site = Site.objects.filter(is_default_site=True).first()
    return (CommuneSettings.for_site(site) if site else CommuneSettings()).commune_name
