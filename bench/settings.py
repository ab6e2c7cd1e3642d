"""Production settings, with what only the benchmark needs (never used in production).

BENCH_COUNT_QUERIES=true: a request carrying the header `X-Bench-Queries: 1` gets its
number of SQL queries back in the `X-Queries` header (other requests are untouched).
BENCH_PAGE_CACHE=false: the full-page cache middleware is left out, to measure pages as
they are built.
BENCH_IMMEDIATE_TASKS=true: tasks run in the process, as a worker would right away
(building the dataset).
"""

import os

from ville_citoyenne.settings.production import *  # noqa: F403
from ville_citoyenne.settings.production import env_bool

if env_bool("BENCH_COUNT_QUERIES", False):
    MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405

if not env_bool("BENCH_PAGE_CACHE", True):
    # Pages as they are built: every full-page cache middleware leaves the chain.
    MIDDLEWARE = [name for name in MIDDLEWARE if "CacheMiddleware" not in name]  # noqa: F405

if env_bool("BENCH_IMMEDIATE_TASKS", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    PAGE_CACHE_VISIT_AFTER_PUBLICATION = False

# The benchmark never mails anyone.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Build logs stay readable: no INFO line per request.
LOGGING["loggers"]["django"]["level"] = os.environ.get("BENCH_DJANGO_LOG_LEVEL", "WARNING")  # noqa: F405
