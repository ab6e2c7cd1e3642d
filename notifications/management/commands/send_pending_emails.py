from django.core.management.base import BaseCommand

from notifications.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "Send the emails still pending (after a mail server outage, say). "
        "Safe to run from cron: an email is sent once."
    )

    def handle(self, *args, **options):
        sent = failed = 0
        for email in OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).order_by(
            "created_at"
        ):
            if email.send():
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"{sent} email(s) sent, {failed} still pending or failed.")
