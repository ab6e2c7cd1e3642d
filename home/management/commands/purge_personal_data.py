from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from home.models import SubmissionToken


class Command(BaseCommand):
    help = (
        "Remove personal data kept past its stated period. Every model that holds "
        "personal data has a `purge_personal_data(now)` class method. Run it daily from cron."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        for model in apps.get_models():
            purge = getattr(model, "purge_personal_data", None)
            if purge is None:
                continue
            count = purge(now)
            self.stdout.write(f"{model._meta.label}: {count} removed")
        # Forms' one-time tokens are no personal data, but need not outlive a retry.
        self.stdout.write(f"form tokens: {SubmissionToken.prune(now)} removed")
