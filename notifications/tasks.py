from django.db import transaction

from django_tasks import task

from .models import OutgoingEmail


@task()
def send_outgoing_email(email_id):
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return
        sent = email.send()
    if not sent and email.status == OutgoingEmail.Status.PENDING:
        email.enqueue(delay=email.retry_delay())
