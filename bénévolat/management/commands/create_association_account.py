from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bénévolat.accounts import add_member, members_group
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

    def handle(self, *args, association, username, email, **options):
        pages = AssociationPage.objects.filter(locale__language_code="fr")
        page = (
            pages.filter(pk=int(association)).first()
            if association.isdigit()
            else pages.filter(slug=association).first()
        )
        if page is None:
            raise CommandError(f"Aucune association « {association} ».")
        try:
            user, generated = add_member(
                page,
                username,
                email,
                first_name=options["first_name"],
                last_name=options["last_name"],
                password=options["password"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Compte « {user.username} » prêt pour « {page.title} » "
            f"(groupe « {members_group(page).name} »)."
        )
        if generated:
            self.stdout.write(f"Mot de passe initial : {generated}")
