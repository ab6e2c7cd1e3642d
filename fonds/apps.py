from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FondsConfig(AppConfig):
    name = "fonds"
    label = "fonds"
    # Public pages show its rows (the gallery of supported projects and its totals):
    # the page cache watches them (home/page_cache.py).
    public_content = True
    verbose_name = _("Fonds d'initiative citoyenne")
