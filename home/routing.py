"""Finding the page a public address asks for in three queries, whatever its depth.

Wagtail's own routing walks the tree one level at a time (a query for the child and
one for its specific type at each level), after looking up the site, the locale and
the home page's translation: an association's mission, five levels down, cost a
dozen queries before its template even started. Here the site's localized home pages
are kept in the cache, the pages along the address are read in one query, and only
the page served is read with its specific type. The result is handed to Wagtail's
own view, which then serves the page as usual (hooks, view restrictions, preview).

It answers as Wagtail's walk would (tests/test_routing.py compares the two on every
page and sub-address of a tree with every page type, and of the benchmark's dataset):
a live routable page answers its own sub-addresses before its children, as under
Wagtail, and when a page type above the page served has its own `route()`, which
Wagtail would call on the way down, the lookup hands the address over to Wagtail.

It leans on two internals, each pinned by a test that fails if it changes:
`request._wagtail_route_for_request`, where `Page.route_for_request` (which
`wagtail.views.serve` calls) keeps a request's route, so that Wagtail's view serves
the route found here; and treebeard's `_cached_parent_obj`, which `get_parent()`
returns instead of querying (Wagtail's walk sets it the same way).

Decision, by measurement (bench/RESULTS.md, "Routing"; `python -m bench.routing`):
kept. Without it, Wagtail's walk costs 5 to 10 queries per address instead of 3,
which puts every page below the home page past the budget of 12 queries (an
association's mission: 19 in French, 24 in English, against 10), and its time
grows with the depth of the page.
"""

import copy
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.translation import get_language

from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from .page_cache import (
    LocalCopies,
    cached_until_published,
    generation,
    page_tag,
    prefetch,
    shared_reads_noted,
    tag_versions,
    visitor_without_session,
)

SERVE_PATTERN = r"^(?!_util/)((?:[\w\-]+/)*)$"


def localized_roots(site):
    """The site's home page in each language: {language code: (path, url_path)}."""
    return cached_until_published(
        f"site-roots:{site.pk}",
        lambda: {
            language_code: (path, url_path)
            for language_code, path, url_path in Page.objects.filter(
                translation_key=site.root_page.translation_key, live=True
            ).values_list("locale__language_code", "path", "url_path")
        },
    )


def find_site(request):
    """Wagtail's `Site.find_for_request`, answered from the list of sites kept per
    site generation: a query saved on every page, the first visit of a new generation
    included (a list keyed by the request's host and port would be made again for
    each, the task worker's visit never asking with the visitors' port)."""
    if not hasattr(request, "_wagtail_site"):
        # As Wagtail: the raw host (a host outside ALLOWED_HOSTS is refused later).
        hostname = split_domain_port(request._get_raw_host())[0]
        request._wagtail_site = site_for_hostname(hostname, request.get_port())
    return request._wagtail_site


def site_for_hostname(hostname, port):
    """Wagtail's `get_site_for_hostname` (wagtail/models/sites.py), its order of
    preference kept, over the sites read once per generation; None where Wagtail
    raises Site.DoesNotExist."""
    sites = cached_until_published("sites", lambda: list(Site.objects.select_related("root_page")))
    port = str(port)

    def match(site):
        if site.hostname == hostname and str(site.port) == port:
            return 0  # the host and port
        if site.hostname == hostname and site.is_default_site:
            return 1  # the host, on the default site
        if site.is_default_site:
            return 2  # the default site, another host
        return 3  # the host alone

    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site), key=match
    )
    if not candidates:
        return None
    if len(candidates) == 1 or match(candidates[0]) in (0, 1):
        return candidates[0]
    # The default site, unless exactly one site has the host.
    return candidates[len(candidates) == 2]


# The pages along an address and the page it serves, kept in each worker's memory
# for visitors without a session: a publication changes a page only through its
# tag, a move, a new slug or an unpublication start a new generation. A copy of the
# page is served, so that what a request sets on it stays with that request.
walks = LocalCopies(size=256)


def find_route(request, path):
    site = find_site(request)
    if site is None:
        return None
    # Staff see the page as saved this very second, never as kept.
    reuse = visitor_without_session(request)
    walked = _reused_walk(request, site, path) if reuse else _walk(site, path)
    if walked is None:
        # Wagtail would ask a page above to route the rest of the address.
        return Page.route_for_request(request, path)
    ancestors, specific, remaining = walked
    specific = copy.copy(specific)
    specific._routed_ancestors = ancestors
    # Treebeard's get_parent() reads this instead of querying again.
    specific._cached_parent_obj = ancestors[-1]
    return specific.route(request, remaining)


def _reused_walk(request, site, path):
    key = (generation(), get_language(), site.pk, path)
    walked = walks.get(key)
    if walked is None:
        # This worker's first visitor of the address since the generation began.
        walked = _shared_walk(request, key)
    if walked is not None:
        ancestors, specific, remaining, version = walked
        if version == tag_versions({page_tag(specific)})[page_tag(specific)]:
            return ancestors, specific, remaining
        # Published since: the same address, the page read again.
        specific = type(specific).objects.select_related("locale").get(pk=specific.pk)
    else:
        walked = _walk(site, path)
        if walked is None:
            return None
        ancestors, specific, remaining = walked
    version = tag_versions({page_tag(specific)})[page_tag(specific)]
    # Kept no longer than a cached page: a change made without saving the page
    # (a bulk update) shows as soon as it would through the page cache.
    expires = time.time() + settings.PAGE_CACHE_SECONDS
    walks.keep(key, (ancestors, specific, remaining, version), expires)
    if not remaining:
        # Shared with the other workers and servers: the task worker's visit of a page
        # just published (home/warmup.py) walks it for them. A page's own sub-address
        # is not: made-up ones would fill the shared cache.
        shared = ((ancestors, specific, remaining, version), expires)
        cache.set(_shared_walk_key(key), shared, settings.PAGE_CACHE_SECONDS)
        request._shared_reads_key = _shared_walk_key(key, "walk-reads")
    return ancestors, specific, remaining


def _shared_walk_key(key, kind="walk"):
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def _shared_walk(request, key):
    """A walk another process made and shared, kept here too; with it, in the same
    round trip, the list of what the page read from the shared cache when it was
    last made in a worker where it was new, read then in one round trip more."""
    walk_key, reads_key = _shared_walk_key(key), _shared_walk_key(key, "walk-reads")
    found = cache.get_many([walk_key, reads_key])
    shared = found.get(walk_key)
    if shared is None:
        return None
    walked, expires = shared
    walks.keep(key, walked, expires)
    request._shared_reads_key = reads_key
    request._prefetched = prefetch(found.get(reads_key, ()))
    return walked


def _note_shared_reads(request):
    """Once the page is made in a worker where its address was new: what it read from
    the shared cache, for the next such worker (the page's own values and fragments,
    a dozen round trips on an action page)."""
    noted = shared_reads_noted()
    if noted:
        reads = list(dict.fromkeys([*getattr(request, "_prefetched", ()), *noted]))
        cache.set(request._shared_reads_key, reads, settings.PAGE_CACHE_SECONDS)


def _walk(site, path):
    """The pages from the tree's root down to the page the address serves, that page
    read with its specific type, and the rest of the address for its own routes; or
    None when Wagtail must walk the address itself."""
    root_path, root_url_path = localized_roots(site).get(
        get_language(), (site.root_page.path, site.root_page.url_path)
    )
    components = [component for component in path.split("/") if component]
    url_paths = [
        root_url_path + "".join(f"{slug}/" for slug in components[:length])
        for length in range(1, len(components) + 1)
    ]
    ancestor_paths = [
        root_path[:end] for end in range(Page.steplen, len(root_path) + 1, Page.steplen)
    ]
    chain = list(
        Page.objects.filter(
            Q(path__startswith=root_path, url_path__in=url_paths) | Q(path__in=ancestor_paths)
        ).order_by("depth")
    )
    # The pages from the tree's root down to the deepest one the address names.
    pages = [page for page in chain if page.path in ancestor_paths]
    for page, url_path in zip(chain[len(pages) :], url_paths, strict=False):
        if page.url_path != url_path or not page.path.startswith(pages[-1].path):
            break
        pages.append(page)
    # As Wagtail does, a routable page answers its own routes before its children.
    home = len(ancestor_paths) - 1
    depth = len(pages) - 1 - home
    for position in range(home, len(pages)):
        page = pages[position]
        remaining = components[position - home :]
        model = page.specific_class
        if (
            page.live
            and model
            and issubclass(model, RoutablePageMixin)
            and _resolves(model, remaining)
        ):
            depth = position - home
            break
    served = pages[home + depth]
    if not all(_routes_as_wagtail(page.specific_class) for page in pages[home : home + depth]):
        return None
    model = served.specific_class
    # With its locale: the language switcher, the hreflang links and the feeds read it.
    specific = (
        model.objects.select_related("locale").get(pk=served.pk) if model else served.specific
    )
    return pages[: home + depth], specific, components[depth:]


def _routes_as_wagtail(model):
    """Whether Wagtail's walk, on a page of this type, does what find_route expects:
    hand the rest of the address to the child it names, or first to its own
    sub-addresses (RoutablePageMixin)."""
    if model is None:  # a page type since removed: Wagtail routes it as a plain Page
        return True
    if issubclass(model, RoutablePageMixin):
        return (
            model.route is RoutablePageMixin.route
            and model.resolve_subpage is RoutablePageMixin.resolve_subpage
        )
    return model.route is Page.route


def _resolves(model, components):
    try:
        model.get_resolver().resolve("/" + "".join(f"{slug}/" for slug in components))
    except Http404:
        return False
    return True


def site_root_paths():
    """Wagtail's list of the sites' home pages in each language, which every page
    address is made from. Wagtail reads it from the shared cache at each request;
    kept here per generation (a site, a home page's slug or a new translation starts
    a new one), a page made for a visitor needs no round trip to Redis for it."""
    return cached_until_published("site-root-paths", Site.get_site_root_paths)


def serve(request, path):
    # Where Page._get_site_root_paths keeps a request's root paths (pinned by
    # tests/test_routing.py).
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        request._wagtail_cached_site_root_paths = site_root_paths()
    # Where Page.route_for_request keeps a request's route: Wagtail's view then
    # serves the one found here (pinned by tests/test_routing.py).
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            request._wagtail_route_for_request = find_route(request, path)
        except Http404:
            request._wagtail_route_for_request = None
    response = wagtail_views.serve(request, path)
    if hasattr(request, "_shared_reads_key"):
        if getattr(response, "is_rendered", True):
            _note_shared_reads(request)
        else:
            response.add_post_render_callback(lambda response: _note_shared_reads(request))
    return response
