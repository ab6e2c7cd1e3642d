"""What a worker would otherwise do for its first visitors, done once before gunicorn
forks its workers (`preload_app`, gunicorn.conf.py): every app's Wagtail hooks
imported, the URL patterns compiled, the site's own templates parsed into the cached
loader, both languages' catalogues read. No database connection is opened: the
workers must not share one."""

import io
import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import trans_real

from wagtail import hooks
from wagtail.models import Page, Site

from django_tasks import task

logger = logging.getLogger(__name__)


def project_templates():
    """The names of the templates under TEMPLATES' DIRS (the site's own pages)."""
    for folder in settings.TEMPLATES[0]["DIRS"]:
        folder = Path(folder)
        for path in sorted(folder.rglob("*.html")):
            yield path.relative_to(folder).as_posix()


def warm_up():
    hooks.search_for_hooks()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - compiles the patterns
    engine = engines["django"]
    for name in project_templates():
        try:
            engine.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):  # pragma: no cover
            continue
    for language, _name in settings.LANGUAGES:
        trans_real.translation(language)  # reads and merges the catalogues
        # reverse() reads a table of the patterns built once per language (the
        # i18n_patterns' prefixes differ): 0.1 s of the first page in each language.
        with translation.override(language):
            resolver.reverse_dict  # noqa: B018
    # The cache backend imports its client library (redis-py: a few hundred classes,
    # 0.1-0.4 s) on its first use: here, rather than in each worker's first request.
    # Making the client opens no connection.
    getattr(caches["default"], "_cache", None)


# After a new generation ------------------------------------------------------------


@task()
def visit_main_pages():
    """The home page of each site, in each language, and the pages of its menu, asked
    for once through the site's own WSGI application, as their first visitor would. A new generation (a title, a
    menu, a move...) makes every page's chrome again: the menu, the footer, the
    commune's settings, the translations, the view restrictions. Made here, in the
    task worker, right after the publication, they are in the shared cache when the
    first visitor comes, who then pays for the page asked for alone (issue 16: the
    first render after a publication within the budget of 12 queries)."""
    handler = WSGIHandler()
    for address in _home_addresses():
        _visit(handler, address)


# Set on the visit before the fork: the page cache makes the page rather than serve
# a kept copy (home/page_cache.py), which would leave the workers as cold as before.
MAKE_THE_PAGE = "ville_citoyenne.make_the_page"


def visit_before_fork(application):
    """The same visit, made by gunicorn's master process once the application is
    loaded and before it forks its workers (gunicorn.conf.py): what the first visitor
    of each worker would otherwise make (the content types, the template nodes, the
    URL patterns' regular expressions, the walks and values kept in memory for the
    current generation) is made once and inherited by every worker. Its database
    connections and its Redis connection told of changes are then closed, so that no
    worker shares one."""
    visit_main_pages_here(application)
    connections.close_all()
    watched = getattr(caches["default"], "watched", None)
    if watched is not None:
        watched.close()


def visit_main_pages_here(application):
    """The home and menu pages made by `application` in this process, whatever the
    page cache holds, then one page of each type in each language: a type's code,
    templates and queries are then touched (in a worker, a page of a type no one
    asked for yet took 5 times a warm request: the memory it inherited from the
    master copied as it was first read). Without a database (a build, a migration
    not yet run) nothing is made, and the first visitors make the pages as they
    would have."""
    try:
        for address in dict.fromkeys(_home_addresses() + _one_page_of_each_type()):
            _visit(application, address, {MAKE_THE_PAGE: True})
    except Exception as error:  # noqa: BLE001 - the workers start as they would without it
        logger.warning("The main pages could not be made in advance: %s", error)


def _visit(application, address, extra=None):
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": address,
        "QUERY_STRING": "",
        "SERVER_NAME": base.hostname or "localhost",
        "SERVER_PORT": str(base.port or (443 if base.scheme == "https" else 80)),
        "HTTP_HOST": base.netloc,
        "wsgi.url_scheme": "https" if settings.SECURE_SSL_REDIRECT else base.scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
        **(extra or {}),
    }
    answered = []
    response = application(environ, lambda status, headers, exc_info=None: answered.append(status))
    try:
        for _chunk in response:
            pass
    finally:
        if hasattr(response, "close"):
            response.close()
    if answered[0] >= "500":
        logger.warning("Visiting %s answered %s", address, answered[0])


def _home_addresses():
    """The home pages, then the pages of their menu (the agenda, the plan, the
    associations...): what they compute from the lists every listing filters by
    (communes, categories, themes) is then made too."""
    homes, sections = [], []
    for site in Site.objects.select_related("root_page"):
        for home in Page.objects.filter(translation_key=site.root_page.translation_key, live=True):
            homes.append(home)
            sections += Page.objects.child_of(home).live().public().in_menu()
    parts = (page.get_url_parts() for page in homes + sections)
    return list(dict.fromkeys(part[2] for part in parts if part))


def one_page_of_each_type():
    """The page of each type and language published last: live, public, served."""
    pages = Page.objects.live().public().filter(depth__gt=1)
    kinds = pages.values_list("content_type", "locale").distinct().order_by()
    return [
        pages.filter(content_type=content_type, locale=locale).order_by(
            F("last_published_at").desc(nulls_last=True), "-pk"
        )[0]
        for content_type, locale in kinds
    ]


def _one_page_of_each_type():
    parts = (page.get_url_parts() for page in one_page_of_each_type())
    return [part[2] for part in parts if part]


@task()
def visit_published_page(translation_key):
    """A page just published, in each of its languages, asked for once, as its first
    visitor would: its rows, its header and its copy in the page cache are made in
    the task worker (they are shared), not while a visitor waits."""
    application = WSGIHandler()
    for page in Page.objects.live().public().filter(translation_key=translation_key):
        parts = page.get_url_parts()
        if parts:
            _visit(application, parts[2])


def after_publication(sender, instance, **kwargs):
    """Connected to Wagtail's `page_published` (home/page_cache.py)."""
    if settings.PAGE_CACHE_SECONDS and settings.PAGE_CACHE_VISIT_AFTER_PUBLICATION:
        key = instance.translation_key
        transaction.on_commit(lambda: visit_published_page.enqueue(str(key)))


def after_new_generation():
    """Called once a new generation is committed (home/page_cache.py)."""
    if settings.PAGE_CACHE_SECONDS and settings.PAGE_CACHE_VISIT_AFTER_PUBLICATION:
        visit_main_pages.enqueue()
