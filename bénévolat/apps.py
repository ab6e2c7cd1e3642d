from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenevolatConfig(AppConfig):
    # The module keeps its accent; the label stays ASCII so that tables,
    # content types and admin URLs do too.
    name = "bénévolat"
    label = "benevolat"
    # Public pages show its rows: the page cache watches them (home/page_cache.py).
    public_content = True
    verbose_name = _("Volunteering and associations")
