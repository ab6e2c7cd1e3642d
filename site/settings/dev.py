from .base import *  # noqa: F403
from .base import env

DEBUG = True
# Development only: a fixed key so that `make serve` works with no set-up.
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-not-for-production")  # noqa: S105
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Tasks run in-process so the development server needs no worker; set
# TASKS_BACKEND=database and run `manage.py db_worker` to try the real queue.
if env("TASKS_BACKEND", "immediate") == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # In-process, the visit of the home and menu pages after a publication would run inside
    # the editor's request (and once per publication of `load_demo`).
    PAGE_CACHE_VISIT_AFTER_PUBLICATION = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
