from django.core.management.base import BaseCommand

from notifications.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "Send the emails still pending (after a mail server outage, say). "
        "Safe to run from cron: an email is sent once."
    )

    def handle(self, *args, **options):
        sent = failed = 0
        pending = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING)
        for email_id in pending.order_by("created_at").values_list("pk", flat=True):
            email = OutgoingEmail.send_pending(email_id)
            if email is None:
                continue  # the worker sent it meanwhile
            if email.status == OutgoingEmail.Status.SENT:
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"{sent} email(s) sent, {failed} still pending or failed.")
