from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    # Public pages show its rows: the page cache watches them (home/page_cache.py).
    public_content = True
    verbose_name = _("Action plan")
