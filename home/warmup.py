"""What a worker would otherwise do for its first visitors, done once before gunicorn
forks its workers (`preload_app`, gunicorn.conf.py): every app's Wagtail hooks
imported, the URL patterns compiled, the site's own templates parsed into the cached
loader, both languages' catalogues read. No database connection is opened: the
workers must not share one."""

from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import trans_real

from wagtail import hooks


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
