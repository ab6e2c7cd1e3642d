from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpressionConfig(AppConfig):
    name = "expression"
    verbose_name = _("Citizen expression")
