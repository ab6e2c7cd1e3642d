from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site and pages")
    # Its rows (communes, settings, menus...) are what public pages show: the page
    # cache watches them (home/page_cache.py).
    public_content = True

    def ready(self):
        # Connected once every app's models are loaded (Django's start-up order).
        from django.db.models.signals import post_migrate, post_save

        from wagtail.images import get_image_model
        from wagtail.signals import page_published

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .admin_french import name_wagtails_models_in_french, use_models_phrases
        from .page_cache import connect_invalidation
        from .permission_names import name_permissions_in_french
        from .renditions import enqueue_for_image, enqueue_for_page
        from .text import connect_normalisation

        connect_invalidation()
        connect_normalisation()
        use_models_phrases()
        name_wagtails_models_in_french()
        post_migrate.connect(name_permissions_in_french, dispatch_uid="permission_names")
        post_save.connect(enqueue_for_image, sender=get_image_model(), dispatch_uid="renditions")
        page_published.connect(enqueue_for_page, dispatch_uid="renditions")
