from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenevolatConfig(AppConfig):
    # The module keeps its accent; the label stays ASCII so that tables,
    # content types and admin URLs do too.
    name = "bénévolat"
    label = "benevolat"
    verbose_name = _("Volunteering and associations")
