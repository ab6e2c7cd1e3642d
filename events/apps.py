from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    # Public pages show its rows: the page cache watches them (home/page_cache.py).
    public_content = True
    verbose_name = _("Events")
