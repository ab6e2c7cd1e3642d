from django_tasks import task

from .models import OutgoingEmail


@task()
def send_outgoing_email(email_id):
    email = OutgoingEmail.send_pending(email_id)
    if email is not None and email.status == OutgoingEmail.Status.PENDING:
        email.enqueue(delay=email.retry_delay())
