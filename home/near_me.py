""" "Près de chez vous": the commune déléguée a visitor chose, remembered in a cookie
so that the home page and the header show what happens there on every visit.

The cookie holds a commune's slug and nothing else: no personal data, no tracking,
a preference the visitor set themselves (a functional cookie, which needs no consent).
The page cache keeps one copy of a page per commune (`cache_variant`)."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .models import Commune
from .page_cache import cached_until_published

COOKIE_NAME = "pres_de_chez_vous"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def _communes():
    return cached_until_published(
        "communes-by-slug", lambda: {commune.slug: commune for commune in Commune.objects.all()}
    )


def communes():
    """The communes déléguées to choose from, in their order."""
    return list(_communes().values())


def chosen_commune(request):
    """The commune the visitor chose, or None (no cookie, or a commune since removed)."""
    slug = request.COOKIES.get(COOKIE_NAME, "")
    if not slug or len(slug) > 60:
        return None
    return _communes().get(slug)


def cache_variant(request):
    """What the page cache adds to a page's key: the chosen commune's slug, only when
    it names a commune, so that a made-up cookie adds no copy of any page."""
    commune = chosen_commune(request)
    return commune.slug if commune else ""


@require_GET
def choose_commune(request):
    """Remember (or forget, with an empty choice) the visitor's commune déléguée, then
    go back where they were. A GET form: it works without JavaScript, and the pages
    that carry it stay cacheable (no CSRF token)."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    commune = _communes().get(request.GET.get("commune", "")[:60])
    response = HttpResponseRedirect(next_url)
    if commune is None:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    else:
        response.set_cookie(
            COOKIE_NAME,
            commune.slug,
            max_age=COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    # Made for this visitor: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def default_commune(request, query_parameters):
    """The commune déléguée a listing (agenda, plan, missions) opens on: the one the
    visitor chose, when the address names no filter. `?commune=` (the filters' "all
    communes") asks for the whole commune. The page cache keeps one copy per chosen
    commune already (`cache_variant`), as does Varnish (deploy/varnish/)."""
    if any(name in request.GET for name in query_parameters if name != "page"):
        return None
    return chosen_commune(request)
