import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

from home.models import CommuneSettings
from home.rgpd import PUBLIC_TASK, Processing, mentions

logger = logging.getLogger(__name__)


class OutgoingEmail(models.Model):
    """An email kept in the database before it is sent.

    Forms store their submission and its emails in one transaction; a task then
    sends each email outside the request. When the mail server is down the email
    stays pending and is retried, so an outage loses nothing.
    """

    MAX_ATTEMPTS = 8
    # Sent emails hold personal data (names, messages): they are kept this long.
    RETENTION = timedelta(days=90)
    personal_data = Processing(
        name=_("Emails sent by the site"),
        data=_(
            "The recipient's address and the text of the email (acknowledgements, "
            "answers, notices to the staff)."
        ),
        purpose=_("Send the emails of every form, again after a mail server outage."),
        legal_basis=PUBLIC_TASK,
        recipients=_("The site's administrators."),
        retention=RETENTION,
        retention_note=_("Counted from the day the email was written."),
        order=60,
    )

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("recipient"), max_length=254)
    reply_to = models.EmailField(_("reply to"), blank=True, max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    # An HTML version beside the plain text (the subscriptions' alerts and digests),
    # and headers such as List-Unsubscribe (RFC 8058): kept with the email so that a
    # retry after an outage sends the very same message.
    html_body = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add an email")
    admin_empty_message = _("No email in the queue.")

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @classmethod
    def queue(cls, to, template, context, *, reply_to="", language=None, html=False, headers=None):
        """Render `template` (`<template>_subject.txt` and `<template>_body.txt`,
        with `html` also `<template>_body.html`) and queue the email; it is sent once
        the current transaction commits. The templates sign with `commune_name`: the
        caller's (from its request's site) or, rendered without a request, the
        default site's."""
        if "commune_name" not in context:
            site = Site.objects.filter(is_default_site=True).first()
            commune = CommuneSettings.for_site(site) if site else CommuneSettings()
            context = {**context, "commune_name": commune.commune_name}
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            body = render_to_string(f"{template}_body.txt", context)
            html_body = render_to_string(f"{template}_body.html", context) if html else ""
        email = cls.objects.create(
            to=to,
            reply_to=reply_to or "",
            subject=" ".join(subject.split())[:255],
            body=body,
            html_body=html_body,
            headers=headers or {},
        )
        transaction.on_commit(email.enqueue)
        return email

    def enqueue(self, delay=None):
        from .tasks import send_outgoing_email  # the task imports this module

        task = send_outgoing_email
        if delay is not None and task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + delay)
        task.enqueue(self.pk)

    def send(self):
        """Send the email now; on failure record the error and return False."""
        if self.status == self.Status.SENT:
            return True
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.to],
            reply_to=[self.reply_to] if self.reply_to else None,
            headers=self.headers or None,
        )
        if self.html_body:
            message.attach_alternative(self.html_body, "text/html")
        self.attempts += 1
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any mail failure is retried later
            logger.warning("Email %s not sent (attempt %s): %s", self.pk, self.attempts, error)
            self.last_error = f"{type(error).__name__}: {error}"[:2000]
            if self.attempts >= self.MAX_ATTEMPTS:
                self.status = self.Status.FAILED
            self.save(update_fields=["attempts", "last_error", "status"])
            return False
        self.status = self.Status.SENT
        self.sent_at = timezone.now()
        self.last_error = ""
        self.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True

    @classmethod
    def send_pending(cls, email_id):
        """Send one pending email under a row lock, so that the task queue's worker
        and the cron command never send it twice. Returns the email, or None when it
        was already sent (or given up) meanwhile."""
        with transaction.atomic():
            email = (
                cls.objects.select_for_update()
                .filter(pk=email_id, status=cls.Status.PENDING)
                .first()
            )
            if email is not None:
                email.send()
        return email

    def retry_delay(self):
        # 1, 2, 4 ... minutes, at most two hours between attempts.
        return timedelta(minutes=min(2 ** (self.attempts - 1), 120))

    @classmethod
    def purge_personal_data(cls, now):
        expired = cls.objects.filter(created_at__lt=now - cls.RETENTION)
        return expired.delete()[0]

    @classmethod
    def personal_data_of(cls, email):
        email = email.strip()
        candidates = cls.objects.filter(
            models.Q(to__iexact=email)
            | models.Q(reply_to__iexact=email)
            | models.Q(body__icontains=email)
            | models.Q(subject__icontains=email)
        )
        return [
            row
            for row in candidates
            if email.lower() in (row.to.lower(), row.reply_to.lower())
            or mentions(row.body, email)
            or mentions(row.subject, email)
        ]

    @classmethod
    def erase_personal_data(cls, email):
        rows = cls.personal_data_of(email)
        return cls.objects.filter(pk__in=[row.pk for row in rows]).delete()[0]
