"""The names of the models' permissions in French.

Django stores "Can add theme" in the database, in English whatever the language, and
Wagtail's group screen reads those names out to screen readers beside each checkbox.
After each migration, the permissions of every model are named in the site's language:
from the model's (translated) verbose name, "Peut ajouter thème", and for the model's
own permissions from their translated names.
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext, override

ACTIONS = {
    # Translators: a permission's name, read out in the groups' permission screen.
    "add": lambda name: gettext("Can add %(name)s") % {"name": name},
    "change": lambda name: gettext("Can change %(name)s") % {"name": name},
    "delete": lambda name: gettext("Can delete %(name)s") % {"name": name},
    "view": lambda name: gettext("Can view %(name)s") % {"name": name},
}


def name_permissions_in_french(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """post_migrate receiver. Django creates an app's missing permissions after this
    receiver runs (django.contrib.auth comes later in INSTALLED_APPS): create them
    first (it creates nothing twice), then name them."""
    if apps is None:
        return
    try:
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # as Django's create_permissions: not migrated yet
        return
    create_permissions(sender, verbosity=0, using=using, apps=apps)
    with override(settings.LANGUAGE_CODE):
        for model in sender.get_models():
            opts = model._meta
            content_type = ContentType.objects.db_manager(using).filter(
                app_label=opts.app_label, model=opts.model_name
            )
            names = {
                f"{action}_{opts.model_name}": ACTIONS[action](str(opts.verbose_name))
                for action in opts.default_permissions
                if action in ACTIONS
            }
            # The model's own permissions (Wagtail's "Publish any page", ours), whose
            # names are translatable strings.
            names.update((codename, str(name)) for codename, name in opts.permissions)
            for codename, name in names.items():
                Permission.objects.using(using).filter(
                    content_type__in=content_type, codename=codename
                ).exclude(name=name[:255]).update(name=name[:255])
