"""The emails a volunteer request sends. They are queued (notifications' OutgoingEmail)
in the caller's transaction, so that a request is never stored without its emails,
nor an email sent for a request that was not stored."""

from django.conf import settings
from django.urls import reverse

from notifications.models import OutgoingEmail

# What the confirmation promises the volunteer (and the structures are asked to keep).
ANSWER_WITHIN_DAYS = 10


def queue_request_emails(volunteer_request, page):
    """The confirmation to the citizen, the notice to the structure and to the
    team; `page` is the one the form was sent from."""
    context = {
        "request": volunteer_request,
        "mission": volunteer_request.mission,
        "page_url": page.full_url,
        "structure_name": volunteer_request.structure_name,
        "answer_within_days": ANSWER_WITHIN_DAYS,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("benevolat_requests:edit", args=[volunteer_request.pk]),
        "retention_days": volunteer_request.RETENTION.days,
    }
    structure_email = (
        volunteer_request.mission.structure_email if volunteer_request.mission_id else None
    )
    OutgoingEmail.queue(
        volunteer_request.email,
        "benevolat/emails/request_confirmation",
        context,
        reply_to=structure_email or settings.STAFF_NOTIFICATION_EMAIL,
    )
    recipients = [settings.STAFF_NOTIFICATION_EMAIL]
    if structure_email and structure_email not in recipients:
        recipients.insert(0, structure_email)
    for recipient in recipients:
        OutgoingEmail.queue(
            recipient,
            "benevolat/emails/request_notice",
            context,
            reply_to=volunteer_request.email,
        )


def queue_decline_email(volunteer_request):
    """The volunteer is told why the structure declined, and may answer it."""
    OutgoingEmail.queue(
        volunteer_request.email,
        "benevolat/emails/request_declined",
        {"request": volunteer_request, "structure_name": volunteer_request.structure_name},
        reply_to=volunteer_request.mission.structure_email if volunteer_request.mission_id else "",
    )
