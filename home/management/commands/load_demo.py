import importlib
import importlib.util

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from wagtail.models import Locale
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from home import demo_translations

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "demo-loire-authion"  # noqa: S105 - demo site only, printed to the user


class Command(BaseCommand):
    help = (
        "Build the French demo site (idempotent: a second run creates nothing) "
        "and print the admin login."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        french, _ = Locale.objects.get_or_create(language_code="fr")
        english, _ = Locale.objects.get_or_create(language_code="en")
        # Each app that brings demo content has a `demo.py` with `load(stdout)`, run
        # in the order of INSTALLED_APPS: an app's content may point at the apps below.
        for app in apps.get_app_configs():
            if importlib.util.find_spec(f"{app.name}.demo") is not None:
                importlib.import_module(f"{app.name}.demo").load(self.stdout)
        # English gets an alias of every French page until the team translates it.
        LocaleSynchronization.objects.get_or_create(locale=english, defaults={"sync_from": french})
        synchronize_tree(french, english)
        # A few key pages translated for real: the demo shows both cases.
        demo_translations.translate(self.stdout)
        self.ensure_admin()

    def ensure_admin(self):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=ADMIN_USERNAME,
            defaults={
                "email": "admin@loire-authion.fr",
                "first_name": "Admin",
                "last_name": "Démo",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            user.set_password(ADMIN_PASSWORD)
            user.save()
        self.stdout.write(
            self.style.SUCCESS(
                "\nSite de démonstration prêt : http://127.0.0.1:8000/\n"
                f"Administration : http://127.0.0.1:8000/admin/ — identifiant « {ADMIN_USERNAME} », "
                f"mot de passe « {ADMIN_PASSWORD} »"
                + ("" if created else " (s'il n'a pas été changé depuis)")
            )
        )
