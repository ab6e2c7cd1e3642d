from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowConfig(AppConfig):
    name = "follow"
    verbose_name = _("Subscriptions")

    def ready(self):
        from . import signals  # noqa: F401 - connects the alerts to page publication
