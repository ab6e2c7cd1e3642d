# Read by gunicorn from the folder it starts in (the README's release steps).
# The application is loaded once, before the workers are forked: imports, URL
# patterns, templates and catalogues are ready in every worker (home/warmup.py), so a
# fresh worker's first visitor is served as fast as the next ones.
import gc

preload_app = True


def when_ready(server):
    """Once the application is loaded, before the first fork: the home and menu pages
    visited once (home/warmup.py, visit_before_fork), so that every worker inherits
    what their first visitors would have made; then the objects made
    (modules, classes, URL patterns, compiled templates, hundreds of thousands) are
    left out of the garbage collector's work. Without this, each of its full
    collections in a worker walks them all: 0.1 to 1 s taken from the request it
    falls in, the slowest 5 % of a page's requests (the home page's p95 was 357 ms
    for a 47 ms median). Frozen, they also stay shared with the workers instead of
    being copied by the collector's writes."""
    from home.warmup import visit_before_fork

    visit_before_fork(server.app.wsgi())
    gc.freeze()


def post_fork(server, worker):
    """In each new worker, before it takes its first request: its own connections to
    PostgreSQL and Redis (they cannot be opened before the fork, the workers must not
    share them), so its first visitor does not wait for them."""
    from django.core.cache import cache
    from django.db import connection

    try:
        connection.ensure_connection()
        cache.get("site-generation")
    except Exception as error:  # noqa: BLE001 - the first request will say it, as before
        server.log.warning("Worker %s could not connect yet: %s", worker.pid, error)
