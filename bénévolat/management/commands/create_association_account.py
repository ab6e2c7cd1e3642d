import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bénévolat.models import AssociationPage


class Command(BaseCommand):
    help = (
        "Create (or update) the admin account of an association's member and tie it to "
        "the association's page: the member edits the association's page, missions and "
        "events, sees its volunteer requests, and cannot publish without the "
        "communication team's approval."
    )

    def add_arguments(self, parser):
        parser.add_argument("association", help="slug or id of the association's page")
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password",
            help="the initial password (by default a random one is generated and printed)",
        )

    @transaction.atomic
    def handle(self, *args, association, username, email, **options):
        pages = AssociationPage.objects.filter(locale__language_code="fr")
        page = (
            pages.filter(pk=int(association)).first()
            if association.isdigit()
            else pages.filter(slug=association).first()
        )
        if page is None:
            raise CommandError(f"Aucune association « {association} ».")
        group = page.ensure_members_group()
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if user.is_superuser or user.is_staff:
            raise CommandError(f"« {username} » est un compte de l'équipe : rien n'a été changé.")
        user.email = email
        user.first_name = options["first_name"] or user.first_name
        user.last_name = options["last_name"] or user.last_name
        password = options["password"]
        if created and not password:
            password = secrets.token_urlsafe(12)
        if password:
            user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(
            f"Compte « {username} » {'créé' if created else 'mis à jour'} pour « {page.title} »"
            f" (groupe « {group.name} »)."
        )
        if password and not options["password"]:
            self.stdout.write(f"Mot de passe initial : {password}")
