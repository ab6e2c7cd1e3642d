# Read by gunicorn from the folder it starts in (the README's release steps).
# The application is loaded once, before the workers are forked: imports, URL
# patterns, templates and catalogues are ready in every worker (home/warmup.py), so a
# fresh worker's first visitor is served as fast as the next ones.
import gc

preload_app = True


def when_ready(server):
    """Once the application is loaded, before the first fork: the objects it made
    (modules, classes, URL patterns, compiled templates, hundreds of thousands) are
    left out of the garbage collector's work. Without this, each of its full
    collections in a worker walks them all: 0.1 to 1 s taken from the request it
    falls in, the slowest 5 % of a page's requests (the home page's p95 was 357 ms
    for a 47 ms median). Frozen, they also stay shared with the workers instead of
    being copied by the collector's writes."""
    gc.freeze()
