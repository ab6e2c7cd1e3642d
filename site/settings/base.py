"""Settings shared by every environment, read from the environment with safe defaults.

Environment variables (all optional in development, see README):
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, REDIS_URL, MEDIA_ROOT,
STATIC_ROOT, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
EMAIL_USE_TLS, DEFAULT_FROM_EMAIL, STAFF_NOTIFICATION_EMAIL, WAGTAILADMIN_BASE_URL,
PAGE_CACHE_SECONDS, PAGE_CACHE_BROWSER_SECONDS, PAGE_CACHE_VISIT_AFTER_PUBLICATION,
FRONTEND_CACHE_PURGE_URLS.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import dj_database_url
from PIL import Image

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    # "False", "0" and "" must read as False: a plain string would be truthy.
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def env_int(name, default):
    """A whole number of at least 0: a typo must stop the site with its name, not
    a bare ValueError, nor be read as something else."""
    value = os.environ.get(name, str(default)).strip()
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, not {value!r}")
    return int(value)


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form (its page open too long, cookies off) is told in French, in the site.
CSRF_FAILURE_VIEW = "home.views.csrf_failure"

INSTALLED_APPS = [
    # The project's apps, from the ground up (the layers of pyproject.toml's
    # import-linter contract): the demo is loaded in this order.
    "home",
    "notifications",
    "actions",
    "bénévolat",
    "events",
    "expression",
    "fonds",
    "follow",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Wagtail's admin tags offer humanize's naturaltime; its French needs the app.
    "django.contrib.humanize",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "home.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Old English query names are redirected before the page cache is looked up.
    "home.middleware.FrenchQueryParametersMiddleware",
    "home.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A StreamField post Wagtail cannot read answers 400 (home/middleware.py).
    "home.middleware.MalformedStreamPostMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ville_citoyenne.urls"
WSGI_APPLICATION = "ville_citoyenne.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache's Redis must evict (maxmemory-policy allkeys-lru, see README):
# `manage.py check --deploy` asks it (home/checks.py).
REDIS_URL = env("REDIS_URL")
# The site chrome's rendered fragments (header, footer), keyed by the site's
# generation, kept in each worker's memory: a key names what it was made from, so a
# copy is never out of date, and reading it costs no Redis round trip. A fragment
# this worker has not made yet is looked for in the shared cache
# (ville_citoyenne.cache.LocalThenShared).
FRAGMENT_CACHE = {
    "BACKEND": "ville_citoyenne.cache.LocalThenShared",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ville_citoyenne.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ville-citoyenne",
        },
        "fragments": FRAGMENT_CACHE,
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": FRAGMENT_CACHE,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: French is the default language, served at the root of the site;
# English is the second locale, under /en/, translated with wagtail-localize.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# locale/ holds our own strings (makemessages writes there); locale-overrides/ corrects
# the few entries of Wagtail's French catalogue that are wrong or English ("Status :",
# "Ajouter un(e)"): a LOCALE_PATHS catalogue wins over an app's. makemessages leaves it
# alone, having no source file of its own.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-overrides"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static_src"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: console in development, SMTP in production, locmem in tests.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Ville citoyenne <ne-pas-repondre@loire-authion.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the notices of new submissions go (the communication team's mailbox).
STAFF_NOTIFICATION_EMAIL = env("STAFF_NOTIFICATION_EMAIL", "participation@loire-authion.fr")

# Emails and image renditions run outside the request, in a queue kept in the
# database; production runs `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The admin's brand, fixed for the deployment: Wagtail reads it where no site or
# request is at hand (login page, notification emails), so the commune's settings,
# which are per site and in the database, cannot provide it.
WAGTAIL_SITE_NAME = "Ville citoyenne — Loire-Authion"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The login form's password field gets its French label (home/admin_french.py).
WAGTAILADMIN_USER_LOGIN_FORM = "home.admin_french.LoginForm"
# Where the admin's "Editor guide" links lead. Empty: the site's own guide, in French,
# written for the commune's roles (/admin/guide/), which links on to Wagtail's.
EDITOR_GUIDE_URL = env("EDITOR_GUIDE_URL", "")
# Slugs in ASCII ("Sondage : la fête" → sondage-la-fete), in the admin's title-to-slug
# sync and when a page is saved without one, so that a typed address works.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No Gravatar: the admin would send a hash of each staff member's email to a third
# party (and the admin's Content-Security-Policy blocks it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# An editor's image is decoded whole for its renditions: a 24-megapixel camera's
# photo (6,000 × 4,000) at most, counted from the file's header before any decoding.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 25_000_000
# Pillow warns beyond this many pixels and refuses twice as many, wherever an image
# is opened: the largest budget of the site (a citizen's JPEG photo, decoded at a
# reduced scale, expression/photos.py), instead of Pillow's 89 million.
Image.MAX_IMAGE_PIXELS = 50_000_000
# Refuses cleanly an upload Pillow cannot read (home/images.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "home.images.ImageForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend, each word looked up by its French stem as a
        # prefix ("cérémonie" finds "cérémonies"), on SQLite as on PostgreSQL.
        "BACKEND": "home.search_backend",
        # On PostgreSQL, French stemming with accents folded ("benevolat" finds
        # "bénévolat"): the configuration is created by home's migration 0002.
        **({"SEARCH_CONFIG": "french_unaccent"} if DATABASE_IS_POSTGRES else {}),
    }
}
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAIL_PASSWORD_RESET_ENABLED = True

# The whole plan (31 actions) in one call of the API.
WAGTAILAPI_LIMIT_MAX = 100

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# Anonymous visitors' pages are kept this many seconds in the cache (home/page_cache.py),
# and forgotten at once when what they show changes; 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# How long browsers (and a proxy without purging) may keep a public page: the site
# cannot recall it from them, so it is short (Cache-Control: public, max-age=60).
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 60)
# After a publication that makes every page's menu and footer again, the task worker
# visits the home and menu pages so that the first visitor does not pay for them
# (home/warmup.py).
PAGE_CACHE_VISIT_AFTER_PUBLICATION = env_bool("PAGE_CACHE_VISIT_AFTER_PUBLICATION", True)
# Varnish (or any cache speaking xkey) in front: the addresses where a change's tags
# are purged, e.g. http://127.0.0.1:6081 (deploy/varnish/default.vcl, README).
FRONTEND_CACHE_PURGE_URLS = env_list("FRONTEND_CACHE_PURGE_URLS")

# Public forms: at most this many submissions per address and form, per period (s),
# and this many attempts, valid or not: a person correcting a mistake twice still
# gets through, a robot posting refused forms (each costs a decoded photo) does not.
PUBLIC_FORM_RATE_LIMIT = (5, 3600)
PUBLIC_FORM_ATTEMPT_LIMIT = (20, 3600)
# Page and collection passwords (home/throttle.py): wrong passwords per address (any
# page), wrong passwords for one page from any address, per period (s); past either,
# even the right password is refused until the period ends.
PAGE_PASSWORD_ATTEMPT_LIMIT = (10, 50, 3600)
# The admin's password reset: emails asked per address, and for one account, per period.
PASSWORD_RESET_LIMIT = (5, 3, 3600)
# Number of trusted reverse proxies in front of the site (X-Forwarded-For).
NUM_PROXIES = int(env("NUM_PROXIES", "0"))

# Admin login: after LOGIN_FAILURE_LIMIT wrong passwords for one account (from any
# address) or from one address (for any account), logins are refused for
# LOGIN_LOCKOUT_MINUTES, the right password included. Counted in the database, so
# every worker sees the same count; the address is the one client_address trusts.
AUTHENTICATION_BACKENDS = [
    "home.auth.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "home.forms.client_address"
AXES_LOCKOUT_CALLABLE = "home.views.login_locked"
# Successful logins are not logged: addresses are personal data kept for no purpose.
AXES_DISABLE_ACCESS_LOG = True

# bénévolat: the "Validation communication" workflow's notifications (Wagtail's own
# emails, in the recipient's admin language, French by default) tell the moderators
# of a submission and the association of the approval or rejection, with the comment.
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
