"""The full-page cache for anonymous visitors, and the site "generation" that
invalidates it together with the cached site chrome (menu, footer, home pages).

Every cached entry has the generation in its key; anything that can change what a
public page shows (a page published, unpublished, moved or deleted, a snippet, the
site settings, an image, a document, a published answer, a sign-up that changes the
places left) bumps it, so the whole cache turns over at once. Working out which pages
show a given snippet or answer would be fragile; a commune publishes a few times a
day, and a page costs a dozen queries to render again.
"""

import functools
import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path

from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import get_page_models
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

GENERATION_KEY = "site-generation"
# Browsers and proxies keep a page a minute at most. The cache keeps it for
# settings.PAGE_CACHE_SECONDS (5 minutes), short so that what depends on the clock
# alone (an event that has ended leaves the agenda) is never long out of date.
BROWSER_MAX_AGE = 60
# Headers of the view's answer not kept with the page (cookies are not headers here,
# and never kept): the cache sets its own Cache-Control, Django the length.
DROPPED_HEADERS = {"cache-control", "content-length", "expires"}


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY, 1)
    return value


# What is kept under a generation lives a day at most: keys of generations gone by
# must not pile up in Redis.
GENERATION_TIMEOUT = 24 * 60 * 60


def cached_until_published(name, compute):
    """`compute()`'s result, read once per generation: what only a publication can
    change (the menu, a page's translations, the view restrictions...)."""
    key = f"{name}:{generation()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, GENERATION_TIMEOUT)
    return value


def bump_generation(**kwargs):
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted, or never read): any new value does
        cache.set(GENERATION_KEY, 2, None)


# The query parameters a page reads (its GET filter form, its pagination): each page
# type declares its own (`query_parameters`), the site's own views are named here by
# URL name; a page that declares none reads none. A page is kept under its address
# with those parameters alone, in their order: any other (utm_source, fbclid, a random
# one) changes nothing on the page and must not add an entry to the cache, or a
# hundred requests with a random parameter would add a hundred copies.
VIEW_PARAMETERS = {
    "search": {"q", "page"},
    "sitemap": {"p"},  # Django's sitemap paginates with ?p=
    "robots_txt": set(),
    "theme_css": set(),
}


@functools.cache
def any_parameters():
    """Until an address is known (the first visit of each generation), or for a view
    of no known name, any parameter the site reads may matter: none is left out."""
    return frozenset().union(
        *VIEW_PARAMETERS.values(),
        *(getattr(model, "query_parameters", ()) for model in get_page_models()),
    )


def note_page_reads(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: the page being served says what it reads."""
    request.page_cache_parameters = frozenset(getattr(page, "query_parameters", ()))


def _parameters_read(request):
    names = getattr(request, "page_cache_parameters", None)
    if names is None:
        match = getattr(request, "resolver_match", None)
        names = VIEW_PARAMETERS.get(getattr(match, "url_name", None), any_parameters())
    return frozenset(names)


def _address(request):
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    return language, f"{request.scheme}://{request.get_host()}{request.path}"


def _reads_key(request, current):
    """Where the parameters the page at this address reads are kept."""
    language, address = _address(request)
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page-reads:{current}:{language}:{digest}"


def _page_key(request, names=None, current=None):
    names = any_parameters() if names is None else names
    current = generation() if current is None else current
    language, address = _address(request)
    # Sorted by name; the values of one name keep their order (the page reads the last).
    kept = sorted(
        (
            (name, value)
            for name, values in request.GET.lists()
            if name in names
            for value in values
        ),
        key=lambda item: item[0],
    )
    # The commune déléguée the visitor chose (home/near_me.py) changes what the home
    # page and the header show: one copy per commune.
    from .near_me import cache_variant

    variant = cache_variant(request)
    digest = hashlib.sha256(f"{address}?{urlencode(kept)}#{variant}".encode()).hexdigest()
    return f"page:{current}:{language}:{digest}"


def _may_use_cache(request):
    """Anonymous readers of public pages only. A visitor with a session (a member of
    staff, even on a public page where the user bar shows; someone who entered a
    page's password) or a message waiting to be shown gets the page made for them."""
    return (
        settings.PAGE_CACHE_SECONDS
        and request.method in ("GET", "HEAD")
        and not request.path_info.startswith(("/admin/", "/documents/", "/api/"))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _may_store(request, response):
    """A page the same for every visitor. A page that used the CSRF token (every
    page with a POST form: a ceremony's sign-up, a mission's "Je veux aider", the
    idea box, the form pages) is not: Django ties the token to a cookie of each
    visitor, so a cached copy would carry someone else's token and its form would be
    refused. Those few pages are rendered for each visit instead, which keeps forms
    working without JavaScript."""
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (user is not None and user.is_authenticated)
        and "Cache-Control" not in response.headers
    )


class PageCacheMiddleware:
    """Placed before the session, CSRF and authentication middleware: a page served
    from the cache skips them all, and a page being stored is seen with the cookies
    they set. A middleware rather than Wagtail's serve hooks, because the search,
    the feeds and the sitemap are cached too, and only the finished response tells
    whether a CSRF cookie went with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self._mark_private(self.get_response(request))
        current = generation()
        reads_key = _reads_key(request, current)
        names = cache.get(reads_key)
        if names is None:
            names = any_parameters()
        key = _page_key(request, names, current)
        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content, headers=headers)
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            return response
        response = self.get_response(request)
        if not _may_store(request, response):
            return self._mark_private(response)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        headers = {
            name: value for name, value in response.items() if name.lower() not in DROPPED_HEADERS
        }
        names = _parameters_read(request)
        cache.set_many(
            {
                _page_key(request, names, current): (response.content, headers),
                reads_key: names,
            },
            settings.PAGE_CACHE_SECONDS,
        )
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        return response

    @staticmethod
    def _mark_private(response):
        # What was made for one visitor stays out of shared caches and the back
        # button's memory; views that chose their own Cache-Control keep it.
        if "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True, no_store=True)
        return response


# What the cache watches is declared where it lives, as the register of personal
# data is: an app whose rows citizens' pages show sets `public_content = True` on its
# AppConfig; a model of such an app that no public page shows (a form's one-time
# token, failed logins, volunteers' hours) sets `shown_on_public_pages = False`, or
# makes it a property when only some rows show (a citizen's message, once its answer
# is published). Saving a row no page shows must not empty the cache, or every
# citizen's message would.


def _shown(instance):
    return getattr(instance, "shown_on_public_pages", True)


def _remember_if_shown(sender, instance, **kwargs):
    # A row that stops showing (an answer unpublished) changes the pages too.
    stored = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._was_shown_on_public_pages = stored is not None and _shown(stored)


def _bump_for_content(sender, instance, created=False, **kwargs):
    # Wagtail creates a site's settings with their defaults on the first visit: the
    # pages showed those defaults already, and the page being made would be stored
    # under a generation gone by the time it is stored.
    if created and isinstance(instance, BaseSiteSetting):
        return
    if _shown(instance) or getattr(instance, "_was_shown_on_public_pages", False):
        bump_generation()


def watched_models():
    """The models whose changes turn the page cache over."""
    models = [
        model
        for config in apps.get_app_configs()
        if getattr(config, "public_content", False)
        for model in config.get_models()
        if getattr(model, "shown_on_public_pages", True) is not False
    ]
    return models + [
        apps.get_model("wagtailcore", "Page"),
        apps.get_model("wagtailcore", "Site"),
        apps.get_model("wagtailcore", "Locale"),
        apps.get_model("wagtailcore", "PageViewRestriction"),
        apps.get_model("wagtailimages", "Image"),
        apps.get_model("wagtaildocs", "Document"),
    ]


def connect_invalidation():
    # A new translation or alias, live at once, changes the listings (and which
    # copies of a private page must stay out of them) without a publication.
    signals = (
        page_published,
        page_unpublished,
        post_page_move,
        page_slug_changed,
        copy_for_translation_done,
    )
    for signal in signals:
        signal.connect(bump_generation, dispatch_uid=f"page-cache-{signal!r}")
    for model in watched_models():
        uid = f"page-cache-{model._meta.label}"
        if isinstance(getattr(model, "shown_on_public_pages", None), property):
            pre_save.connect(_remember_if_shown, sender=model, dispatch_uid=uid)
        post_save.connect(_bump_for_content, sender=model, dispatch_uid=uid)
        post_delete.connect(_bump_for_content, sender=model, dispatch_uid=uid)
