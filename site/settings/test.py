import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks at once; the queue's own tests switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tests run tasks in the process: a visit of the home page after every publication
# would run inside the test's own request and transaction. Its own test turns it on.
PAGE_CACHE_VISIT_AFTER_PUBLICATION = False
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": FRAGMENT_CACHE,  # noqa: F405
}
# One folder per pytest-xdist worker: tests that count stored files must not see
# the other worker's uploads. TEST_MEDIA_TAG keeps two runs on one machine apart.
MEDIA_ROOT = BASE_DIR / (  # noqa: F405
    f"media-test-{os.environ.get('TEST_MEDIA_TAG', '')}"
    f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)
WAGTAILADMIN_BASE_URL = "http://testserver"
