# Read by gunicorn from the folder it starts in (the README's release steps).
# The application is loaded once, before the workers are forked: imports, URL
# patterns, templates and catalogues are ready in every worker (home/warmup.py), so a
# fresh worker's first visitor is served as fast as the next ones.
preload_app = True
