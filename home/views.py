from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

from .models import CommuneSettings, all_pages

SEARCH_QUERY_MAX_LENGTH = 200
SEARCH_RESULTS_PER_PAGE = 10


def search(request):
    # Bounded and stripped of NUL bytes, which PostgreSQL refuses in text.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    results = Page.objects.none()
    if query:
        locale = Locale.get_active()
        results = all_pages().visible_to_public().filter(locale=locale).specific().search(query)
    page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "search_results": page, "language": get_language()},
    )


class AllLocalesSitemap(Sitemap):
    """Wagtail's sitemap lists the pages of the active locale only; this one lists
    the live pages of every locale of the site."""

    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        pages = all_pages().none()
        for root in roots:
            pages |= all_pages().descendant_of(root, inclusive=True)
        # Base fields only: a sitemap entry needs no page's own fields, and reading
        # each page type's table would cost a query per type.
        return pages.visible_to_public().order_by("path").specific(defer=True)


def sitemap(request):
    return django_sitemap(request, sitemaps={"pages": AllLocalesSitemap(request)})


def csrf_failure(request, reason=""):
    """A form sent without its security token (a page left open for hours, cookies
    refused, another site posting): refused with a 403, said in French, in the site."""
    return TemplateResponse(request, "403_csrf.html", status=403)


def login_locked(request, original_response=None, credentials=None):
    """django-axes' answer to a login while the account or the address is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Rendered here: the answer comes from a middleware, after views' responses render.
    return render(request, "account_locked.html", {"minutes": minutes}, status=429)


def theme_css(request):
    """The commune's colours (Settings → Commune settings), as custom properties
    that override the stylesheet's defaults: another commune rebrands the site from
    the admin. Kept by the page cache and the browser like a page; the address carries
    the site's generation, so a change of colours shows at once."""
    commune = CommuneSettings.for_request(request)
    response = HttpResponse(commune.theme_css(), content_type="text/css; charset=utf-8")
    return response
