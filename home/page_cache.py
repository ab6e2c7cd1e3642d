"""The full-page cache for anonymous visitors: what a change forgets, and what not.

Each cached page carries tags naming what it shows: its own page
(`page-<translation key>`, both languages at once), and the kinds of things it
lists, which listing page types declare (`cache_tags = ("events",)`). A change
purges the tags of what it touches, and only the pages carrying one of them are
made again: a published event purges its page, the agenda, the home page, the
pages of its actions and of its association (`cache_purge_tags()` on the model, in
the app that knows where its rows show); a sign-up purges its mission's or
ceremony's pages; a draft save purges nothing. A tag is purged by giving it a new
version; a page is served only while the versions it was stored with are current,
so two servers sharing Redis forget the same pages.

What no model can place exactly turns the whole cache over at once, through the
site's "generation", which is part of every key: a title, slug or menu change (the
menu, breadcrumbs and links everywhere show them), a move, an unpublication, a
deletion, a snippet or vocabulary row without `cache_purge_tags()`, the settings,
a view restriction, a new translation. The site chrome (menu, footer, a page's
translations) is kept per generation too (`cached_until_published`).
"""

import collections
import functools
import hashlib
import logging
import secrets
import threading
import time
import urllib.request
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path

from modelcluster.fields import ParentalKey
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, get_page_models
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from .warmup import MAKE_THE_PAGE, after_new_generation, after_publication

logger = logging.getLogger(__name__)

GENERATION_KEY = "site-generation"
# Browsers and proxies keep a page settings.PAGE_CACHE_BROWSER_SECONDS (a minute)
# at most. The cache keeps it for settings.PAGE_CACHE_SECONDS (5 minutes), short so
# that what depends on the clock alone (an event that has ended leaves the agenda)
# is never long out of date.
# Headers of the view's answer not kept with the page (cookies are not headers here,
# and never kept): the cache sets its own Cache-Control, Django the length.
DROPPED_HEADERS = {"cache-control", "content-length", "expires"}
# Fastly's and Varnish xkey's name for the tags of a response.
SURROGATE_KEY_HEADER = "Surrogate-Key"


class LocalCopies:
    """Copies kept in this worker's memory, the least recently used dropped first,
    each until its time of expiry."""

    def __init__(self, size):
        self.size = size
        self._copies = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._copies.get(key)
            if found is None:
                return None
            if time.time() >= found[1]:
                del self._copies[key]
                return None
            self._copies.move_to_end(key)
            return found[0]

    def keep(self, key, value, expires):
        with self._lock:
            self._copies[key] = (value, expires)
            self._copies.move_to_end(key)
            while len(self._copies) > self.size:
                self._copies.popitem(last=False)

    def forget(self, key):
        with self._lock:
            self._copies.pop(key, None)

    def clear(self):
        with self._lock:
            self._copies.clear()


# What a request reads of the cache's state, the generation and the tags' versions,
# is read from Redis once per request: a page asks for them a dozen times (menu,
# settings, translations, each home section), and a purge while it renders must leave
# it stale as a whole (see `note_page_reads`). Outside a request (a task, a command,
# a test calling a function) every read goes to the cache.
_request_state = threading.local()


def _start_request(**kwargs):
    _request_state.read = {}
    _request_state.shared_reads = []


def _end_request(**kwargs):
    _request_state.read = None
    _request_state.shared_reads = None


# What a page reads from the shared cache because this worker has not kept it yet
# (`cached_until_published`'s values, the header's and sections' fragments): noted
# as the page is made, so that the next worker to make the page for the first time
# reads them all at once (home/routing.py, `prefetch`), not one round trip each.
FRAGMENTS = "fragments"


def note_shared_read(key, kind="value"):
    noted = getattr(_request_state, "shared_reads", None)
    if noted is not None:
        noted.append((kind, key))


def shared_reads_noted():
    return list(getattr(_request_state, "shared_reads", None) or ())


def prefetch(reads):
    """Reads `reads` (as `shared_reads_noted` returns them) from the shared cache in
    one round trip and keeps what is found in this worker; returns those found."""
    if not reads:
        return []
    fragments = caches[FRAGMENTS]
    names = {
        (fragments.shared_key(key) if kind == FRAGMENTS else key): (kind, key)
        for kind, key in reads
    }
    found = cache.get_many(list(names))
    for name, stored in found.items():
        kind, key = names[name]
        if kind == FRAGMENTS:
            fragments.keep_here(key, stored)
        else:
            value, expires = stored
            computed_copies.keep(key, value, expires)
    return [names[name] for name in found]


def _read_this_request():
    return getattr(_request_state, "read", None)


def _read_current(keys):
    """The generation and tags' versions: with Redis, kept in the worker until Redis
    says they changed (ville_citoyenne.cache.WatchedKeys), so a page served from the
    cache costs no round trip to Redis."""
    return getattr(cache, "watched", cache).get_many(keys)


def _written(keys):
    """This process changed `keys`: its kept copies of them go at once."""
    watched = getattr(cache, "watched", None)
    if watched is not None:
        watched.forget(keys)


def _first_generation():
    """A generation never used before, rather than 1: after Redis is emptied or
    evicts the generation, the copies kept in the workers' memory under the
    generations of before must not be taken for current."""
    return secrets.randbits(48)


def generation():
    read = _read_this_request()
    if read is not None and GENERATION_KEY in read:
        return read[GENERATION_KEY]
    value = _read_current([GENERATION_KEY]).get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _first_generation(), None)
        value = cache.get(GENERATION_KEY)
    if read is not None:
        read[GENERATION_KEY] = value
    return value


# What is kept under a generation lives a day at most: keys of generations gone by
# must not pile up in Redis.
GENERATION_TIMEOUT = 24 * 60 * 60

# What `cached_until_published` keeps, also kept in each worker's memory: its key
# names the generation and the tags' versions it was made under, so a copy whose key
# is still asked for is still right, and no Redis read (nor unpickling) is needed.
# A copy is shared by the requests that read it: what is kept this way is read, never
# changed, by the pages.
computed_copies = LocalCopies(size=512)


def cached_until_published(name, compute, tags=(), timeout=GENERATION_TIMEOUT):
    """`compute()`'s result, read once per generation: what only a publication can
    change (the menu, a page's translations, the view restrictions...); and, with
    `tags`, read again when one of them is purged (the agenda's organisers, when an
    event is published). What the clock changes too (the next events) is given the
    page cache's `timeout`; a timeout of 0 keeps nothing."""
    if not timeout:
        return compute()
    versions = ":".join(tag_versions(tags).values()) if tags else ""
    key = f"{name}:{generation()}:{versions}"
    value = computed_copies.get(key)
    if value is not None:
        return value
    note_shared_read(key)
    stored = cache.get(key)
    if stored is None:
        stored = (compute(), time.time() + timeout)
        cache.set(key, stored, timeout)
    value, expires = stored
    computed_copies.keep(key, value, expires)
    return value


def _new_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted, or never read)
        cache.set(GENERATION_KEY, _first_generation(), None)
    _written([GENERATION_KEY])
    read = _read_this_request()
    if read is not None:
        read.pop(GENERATION_KEY, None)


def bump_generation(**kwargs):
    """Forget every cached page, here and in the cache in front (every response
    carries the `SITE` tag); then the task worker makes the site chrome again."""
    _new_generation()
    _after_commit(_new_generation, {SITE})
    transaction.on_commit(after_new_generation)


# Tags. `ANY` is carried by what shows every kind of thing (the search, the site
# map, the feeds, a view that declares nothing) and purged by every change.
ANY = "any"
# Carried by every page, and purged when the whole cache turns over.
SITE = "site"


def page_tag(page):
    """The tag of a page's own address, shared by its translations: the English
    copy shows the French one's dates, places and pictures."""
    return f"page-{page.translation_key}"


def page_tags(pages):
    """The tags of a queryset's pages, in one query."""
    return {f"page-{key}" for key in pages.values_list("translation_key", flat=True)}


def _tag_key(tag):
    return f"page-tag:{tag}"


def tag_versions(tags):
    """{tag: its current version}, in the order of the tags' names. A tag never seen
    (or evicted) gets a new one, so an eviction forgets the pages stored under the
    lost version."""
    tags = sorted(tags)
    read = _read_this_request()
    known = {tag: read[_tag_key(tag)] for tag in tags if _tag_key(tag) in read} if read else {}
    keys = {_tag_key(tag): tag for tag in tags if tag not in known}
    if keys:
        found = _read_current(list(keys))
        missing = [key for key in keys if key not in found]
        if missing:
            for key in missing:
                cache.add(key, uuid.uuid4().hex, None)
            found.update(cache.get_many(missing))  # another process's version may have won
        if read is not None:
            read.update(found)
        known.update((keys[key], version) for key, version in found.items())
    return {tag: known[tag] for tag in tags}


def _new_versions(tags):
    versions = {_tag_key(tag): uuid.uuid4().hex for tag in tags}
    cache.set_many(versions, None)
    _written(versions)
    read = _read_this_request()
    if read is not None:
        read.update(versions)


def purge(tags):
    """Forget every cached page carrying one of `tags` (and `ANY`), here and in the
    cache in front."""
    tags = {*tags, ANY}
    _new_versions(tags)
    _after_commit(lambda: _new_versions(tags), tags)


def _after_commit(forget, tags):
    """Once the change is committed, forget again (a page made meanwhile from the
    data before it would otherwise be kept under the new version) and tell the cache
    in front, which must not fetch the old page again either."""

    def forget_everywhere():
        forget()
        for address in settings.FRONTEND_CACHE_PURGE_URLS:
            request = urllib.request.Request(  # noqa: S310 - an address of the settings
                address, method="PURGE", headers={"xkey-purge": " ".join(sorted(tags))}
            )
            try:
                urllib.request.urlopen(request, timeout=5).close()  # noqa: S310
            except OSError as error:
                # The page stays there until it expires (its TTL, deploy/varnish): a
                # publication must not fail for it.
                logger.warning("Purging %s at %s failed: %s", sorted(tags), address, error)

    transaction.on_commit(forget_everywhere)


def _still_current(versions):
    return bool(versions) and tag_versions(versions) == versions


# The query parameters a page reads (its GET filter form, its pagination): each page
# type declares its own (`query_parameters`), the site's own views are named here by
# URL name; a page that declares none reads none. A page is kept under its address
# with those parameters alone, in their order: any other (utm_source, fbclid, a random
# one) changes nothing on the page and must not add an entry to the cache, or a
# hundred requests with a random parameter would add a hundred copies.
VIEW_PARAMETERS = {
    "search": {"q", "page"},
    "site_map": set(),
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
    """Wagtail's before_serve_page hook: the page being served says what it reads,
    and what it shows (its tags, whose versions are read before it is rendered: a
    purge while it renders leaves the copy stale, and so unused)."""
    request.page_cache_parameters = frozenset(getattr(page, "query_parameters", ()))
    request.page_cache_tags = tag_versions({page_tag(page), *getattr(page, "cache_tags", ())})


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


def visitor_without_session(request):
    """A visitor reading, with no session: not a member of staff (even on a public
    page, where the user bar reads the page's revisions), nor someone who entered a
    page's password. A preview is made on a dummy request to the page's own address:
    it is never a visitor's page."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not getattr(request, "is_dummy", False)
    )


def _may_use_cache(request):
    """Visitors without a session, on public pages, with no message waiting to be
    shown: the others get the page made for them."""
    return (
        settings.PAGE_CACHE_SECONDS
        and not request.META.get(MAKE_THE_PAGE)
        and visitor_without_session(request)
        and not request.path_info.startswith(("/admin/", "/documents/", "/api/"))
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


def _front_key(request):
    from .near_me import cache_variant

    return (_address(request)[1], request.META.get("QUERY_STRING", ""), cache_variant(request))


class FrontCache:
    """A copy of the most visited pages in each worker's memory, in front of Redis.
    A page found here is served once the generation and the versions of the page's
    tags are found current (read as `_read_current` does: with Redis, no round trip
    while they have not changed) instead of after four reads (the generation, the
    parameters its address reads, the page, its tags' versions): the same check a
    page from Redis passes, so a purge on any server forgets it here too. Keyed by
    the address as requested: a random parameter only adds an entry that the least
    recently used order soon drops."""

    # A large page (a long search) stays in Redis only.
    MAX_BYTES = 256 * 1024

    def __init__(self):
        self._pages = LocalCopies(size=128)

    def keep(self, key, current, stored):
        if len(stored[0]) <= self.MAX_BYTES:
            self._pages.keep(key, (current, stored), expires=stored[3])

    def get(self, key):
        found = self._pages.get(key)
        if found is None:
            return None
        current, stored = found
        versions = stored[2]
        keys = [GENERATION_KEY, *(_tag_key(tag) for tag in versions)]
        now = _read_current(keys)
        if now.get(GENERATION_KEY) != current or any(
            now.get(_tag_key(tag)) != version for tag, version in versions.items()
        ):
            self._pages.forget(key)
            return None
        return stored

    def clear(self):
        self._pages.clear()


front_cache = FrontCache()


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
        front_key = _front_key(request)
        cached = front_cache.get(front_key)
        if cached is not None:
            return self._serve(cached)
        current = generation()
        reads_key = _reads_key(request, current)
        names = cache.get(reads_key)
        if names is None:
            names = any_parameters()
        key = _page_key(request, names, current)
        cached = cache.get(key)
        if cached is not None and _still_current(cached[2]):
            front_cache.keep(front_key, current, cached)
            return self._serve(cached)
        # A view that is not a page shows anything: it is forgotten at any change.
        request.page_cache_tags = tag_versions({ANY})
        response = self.get_response(request)
        if not _may_store(request, response):
            return self._mark_private(response)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        versions = request.page_cache_tags
        # A CDN or Varnish in front can purge the same set by these tags.
        response[SURROGATE_KEY_HEADER] = " ".join(sorted({*versions, SITE}))
        headers = {
            name: value for name, value in response.items() if name.lower() not in DROPPED_HEADERS
        }
        names = _parameters_read(request)
        # Kept with its time of expiry: the copy in a worker's memory expires with it.
        stored = (response.content, headers, versions, time.time() + settings.PAGE_CACHE_SECONDS)
        cache.set_many(
            {_page_key(request, names, current): stored, reads_key: names},
            settings.PAGE_CACHE_SECONDS,
        )
        front_cache.keep(front_key, current, stored)
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
        return response

    @staticmethod
    def _serve(cached):
        content, headers, _versions, _expires = cached
        response = HttpResponse(content, headers=headers)
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
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
# is published). Saving a row no page shows must not forget any page, or every
# citizen's message would. A model that knows which pages show a row says so with
# `cache_purge_tags()`; one that doesn't turns the whole cache over.


def _shown(instance):
    return getattr(instance, "shown_on_public_pages", True)


def _owner_page(instance):
    """The page a row belongs to (an event's dates, a form's fields): it shows on
    that page's pages, and only once that page is live."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, ParentalKey) and issubclass(field.related_model, Page):
            return getattr(instance, field.name, None)
    return None


def _tags_of(instance):
    """The tags a row's change purges, or None when the row cannot tell (the whole
    cache then turns over)."""
    if isinstance(instance, Page):
        return page_purge_tags(instance)
    owner = _owner_page(instance)
    if owner is not None:
        return page_purge_tags(owner) if owner.live else set()
    if hasattr(instance, "cache_purge_tags"):
        return set(instance.cache_purge_tags())
    return None


def page_purge_tags(page):
    """What a page's publication purges: its own address, and what its page type says
    shows it (the listings of its kind, the pages it is linked from)."""
    page = page.specific
    return {page_tag(page), *getattr(page, "cache_purge_tags", lambda: ())()}


def _remember(sender, instance, update_fields=None, **kwargs):
    """What the row showed before the change: the pages it leaves (an event moved to
    another action, an answer unpublished, a mission no longer full) are purged too."""
    instance._page_cache_before = None
    instance._page_cache_forgotten = False
    # A draft save or an autosave writes a few bookkeeping fields: nothing public.
    if (
        isinstance(instance, Page)
        and update_fields is not None
        and not PUBLIC_PAGE_FIELDS & set(update_fields)
    ):
        return
    stored = sender._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    if stored is None:
        return
    shown = _shown(stored) and (not isinstance(stored, Page) or stored.live)
    instance._page_cache_before = {
        "shown": shown,
        "tags": _tags_of(stored) if shown else set(),
        "page": (stored.title, stored.slug, stored.show_in_menus, stored.live)
        if isinstance(stored, Page)
        else None,
    }


def _forget_for_content(sender, instance, created=False, **kwargs):
    # Wagtail creates a site's settings with their defaults on the first visit: the
    # pages showed those defaults already, and the page being made would be stored
    # under a generation gone by the time it is stored.
    if created and isinstance(instance, BaseSiteSetting):
        return
    # A new picture or document shows nowhere until a page using it is published.
    if created and instance._meta.label in UNSHOWN_UNTIL_USED:
        return
    before = getattr(instance, "_page_cache_before", None) or {"shown": False, "tags": set()}
    if not (_shown(instance) or before["shown"]):
        return
    tags = _tags_of(instance)
    if tags is None or before["tags"] is None:
        bump_generation()
    elif tags or before["tags"]:
        purge(tags | before["tags"])


PUBLIC_PAGE_FIELDS = {"title", "slug", "live", "show_in_menus"}


def _forget_for_page(sender, instance, update_fields=None, **kwargs):
    """A publication (or any full save of a live page, as a script or an import
    does) purges what shows the page, before and after; a change of what other
    pages show of it (its title, address or place in the menu), or a first
    publication where the menu or the language links must show it, turns everything
    over. A draft save or an autosave writes a few bookkeeping fields: nothing.

    Wagtail saves a page in full, then sends `page_published` for it: what the save
    purged is not purged again (every tag a Redis write and a Varnish PURGE). The
    signal still purges a page whose save went unwatched."""
    if "revision" in kwargs and getattr(instance, "_page_cache_forgotten", False):
        return
    if update_fields is not None and not PUBLIC_PAGE_FIELDS & set(update_fields):
        return
    instance._page_cache_forgotten = "created" in kwargs  # post_save, not page_published
    before = getattr(instance, "_page_cache_before", None)
    was_live = before is not None and before["page"][3]
    if not instance.live:
        if was_live:
            bump_generation()
        return
    if was_live and before["page"][:3] != (instance.title, instance.slug, instance.show_in_menus):
        return bump_generation()
    if getattr(instance, "shown_on_every_page", False):
        return bump_generation()
    if not was_live and (instance.show_in_menus or _has_translations(instance)):
        return bump_generation()
    purge(page_purge_tags(instance) | (before["tags"] if before else set()))


def _has_translations(page):
    return Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk).exists()


UNSHOWN_UNTIL_USED = {"wagtailimages.Image", "wagtaildocs.Document"}


def watched_models():
    """The models whose changes forget cached pages."""
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
    request_started.connect(_start_request, dispatch_uid="page-cache-request-started")
    request_finished.connect(_end_request, dispatch_uid="page-cache-request-finished")
    # An alias is published without being saved in full.
    page_published.connect(_forget_for_page, dispatch_uid="page-cache-published")
    page_published.connect(after_publication, dispatch_uid="page-cache-visit-published")
    # What moves a page, removes it or adds a copy in another language changes links
    # and listings no model can place.
    for signal in (page_unpublished, post_page_move, page_slug_changed, copy_for_translation_done):
        signal.connect(bump_generation, dispatch_uid=f"page-cache-{signal!r}")
    for model in watched_models():
        uid = f"page-cache-{model._meta.label}"
        if issubclass(model, Page):
            pre_save.connect(_remember, sender=model, dispatch_uid=uid)
            post_save.connect(_forget_for_page, sender=model, dispatch_uid=uid)
            post_delete.connect(bump_generation, sender=model, dispatch_uid=uid)
            continue
        pre_save.connect(_remember, sender=model, dispatch_uid=uid)
        pre_delete.connect(_remember, sender=model, dispatch_uid=uid)
        post_save.connect(_forget_for_content, sender=model, dispatch_uid=uid)
        post_delete.connect(_forget_for_content, sender=model, dispatch_uid=uid)
