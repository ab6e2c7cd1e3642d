import difflib

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Site

from .models import CommuneSettings, all_pages
from .page_cache import cached_until_published
from .routing import find_site
from .search import WORD, fold, grouped_results, search_terms

SEARCH_QUERY_MAX_LENGTH = 200
# The best answers read from the index: far more than a citizen reads in one go.
SEARCH_PAGES_READ = 200
# The page titles read for another spelling when nothing is found.
SPELLING_TITLES_READ = 2000


def search(request):
    # Bounded and stripped of NUL bytes, which PostgreSQL refuses in text.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    groups = []
    terms = search_terms(query)
    if terms:
        # Both read once per generation: the results' addresses need the site.
        find_site(request)
        locale = cached_until_published(f"locale:{get_language()}", Locale.get_active)
        pages = (
            all_pages()
            .visible_to_public()
            .filter(locale=locale)
            # Of their own type, without their own fields: only the summaries shown
            # read them (home/search.py).
            .specific(defer=True)
            .search(query)[:SEARCH_PAGES_READ]
        )
        groups = grouped_results(list(pages), terms, locale, request)
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "groups": groups,
            "total": sum(group.total for group in groups),
            "language": get_language(),
            "suggestions": suggestions(request, query) if query and not groups else None,
        },
    )


# A section of the site map lists this many of its pages, then links to the section
# (the agenda and the missions grow by hundreds: their listings page through them).
SITE_MAP_PAGES_PER_SECTION = 40


def site_map(request):
    """The "Plan du site" (RGAA 12.1): the home page's sections in the reader's
    language, each with its pages, in the tree's order. One query; the XML sitemap
    stays for search engines."""
    site = Site.find_for_request(request)
    home = site.root_page.localized if site else None
    sections = []
    if home is not None:
        pages = (
            all_pages()
            .descendant_of(home)
            .filter(depth__lte=home.depth + 2)
            .visible_to_public()
            .order_by("path")
        )
        by_path = {}
        for page in pages:
            if page.depth == home.depth + 1:
                by_path[page.path] = {"page": page, "children": [], "more": 0}
                sections.append(by_path[page.path])
            else:
                section = by_path.get(page.path[: -page.steplen])
                if section is None:
                    continue
                if len(section["children"]) < SITE_MAP_PAGES_PER_SECTION:
                    section["children"].append(page)
                else:
                    section["more"] += 1
    return TemplateResponse(request, "home/site_map.html", {"home": home, "sections": sections})


def suggestions(request, query):
    """What to offer when nothing is found: another spelling of the words, close to
    the words of the site's page titles ("cérémnie" → "cérémonie"), each word alone
    when there were several (every word must be found), and the sections of the main
    menu, where one looks around (the agenda, the plan, the idea box…)."""
    words = WORD.findall(query)
    locale = Locale.get_active()
    titles = all_pages().live().visible_to_public().filter(locale=locale)
    spelled = {}
    for title in titles.values_list("title", flat=True)[:SPELLING_TITLES_READ]:
        for word in WORD.findall(title):
            if len(word) >= 4:
                spelled.setdefault(fold(word), word.lower())
    corrected = []
    for word in words:
        close = difflib.get_close_matches(fold(word), spelled, n=1, cutoff=0.75)
        corrected.append(spelled[close[0]] if close else word)
    other_spelling = " ".join(corrected)
    site = Site.find_for_request(request)
    home = site.root_page.localized if site else None
    places = []
    if home is not None:
        places = list(all_pages().live().visible_to_public().child_of(home).in_menu())
    return {
        "other_spelling": other_spelling if fold(other_spelling) != fold(" ".join(words)) else "",
        "single_words": words if len(words) > 1 else [],
        "pages": places,
    }


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
