# Read by gunicorn from the folder it starts in (the README's release steps).
# The application is loaded once, before the workers are forked: imports, URL
# patterns, templates and catalogues are ready in every worker (home/warmup.py), so a
# fresh worker's first visitor is served as fast as the next ones.
import gc

preload_app = True


def when_ready(server):
    """Once the application is loaded, before the first fork: the home and menu pages
    and one page of each type visited once (home/warmup.py, visit_before_fork), so
    that every worker inherits what their first visitors would have made; then the
    objects made (modules, classes, URL patterns, compiled templates, hundreds of
    thousands) are left out of the garbage collector's work. Without this, each of its full
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
    share them), then the same visit as the master's. What the worker inherited is
    shared with the master until first written, and reading a Python object writes its
    reference count: the first request of a worker copied 1,300 to 1,700 pages of
    memory, twice or three times a warm request's time (bench/cold_start.py). Made
    here, the copies cost the worker's start, not its first visitor."""
    from home.warmup import visit_main_pages_here

    visit_main_pages_here(server.app.wsgi())
    # The visit's leftovers collected now, and what it kept frozen as the master's
    # were: otherwise the collection they call for falls in the first requests.
    gc.collect()
    gc.freeze()
