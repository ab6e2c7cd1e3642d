import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ville_citoyenne.settings.production")

application = get_wsgi_application()

# Before gunicorn forks (preload_app): the workers start with it done.
from home.warmup import warm_up  # noqa: E402

warm_up()
