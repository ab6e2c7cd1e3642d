"""What citizens send through the expression page and how the staff process it: the
message (its kinds and statuses, answer, publication, personal data), the municipal
services it is assigned to and the answer templates the staff start from."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from home.page_cache import page_tag
from home.rgpd import CONSENT, Processing
from notifications.models import OutgoingEmail

from ..photos import photo_path, private_storage, purge_kept_photos

# What a citizen's message keeps, and for how long (said on the form, applied by
# `purge_personal_data`): the name, email and photo one year after sending; the
# message itself three years, unless the commune published it without any name.
PERSONAL_DATA_RETENTION = timedelta(days=365)
MESSAGE_RETENTION = timedelta(days=3 * 365)


PUBLIC_STATUS_LABELS = {
    "received": _("Received"),
    "acknowledged": _("Taken into account"),
    "in_progress": _("In progress"),
    "resolved": _("Resolved"),
    "answered": _("Answered"),
}


def tracking_signature(number):
    return salted_hmac("expression.tracking", str(number)).hexdigest()[:32]


class Service(models.Model):
    """A municipal service a message can be assigned to (voirie, espaces verts…)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    email = models.EmailField(_("service email"), blank=True)

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add a municipal service")
    admin_empty_message = _("No municipal service yet.")

    class Meta:
        verbose_name = _("municipal service")
        verbose_name_plural = _("municipal services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AnswerTemplate(models.Model):
    """A reusable answer the staff start from (and edit) when they answer a message."""

    shown_on_public_pages = False  # the published answer is, once edited

    title = models.CharField(_("title"), max_length=120, unique=True)
    body = models.TextField(_("text of the answer"), max_length=5000)

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add an answer template")
    admin_empty_message = _("No answer template yet.")

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["title"]

    def __str__(self):
        return self.title


class SubmissionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True).exclude(answer="")

    def for_public_pages(self):
        """Published messages without what the citizen wrote and who they are, which
        no public page shows: what a page keeps in the shared cache carries none."""
        return self.published().defer(
            "subject", "message", "photo", "name", "email", "internal_notes"
        )

    def for_action(self, action):
        """Messages about `action` in any language (its translations share a key)."""
        return self.filter(action__translation_key=action.translation_key)


class Submission(models.Model):
    """What a citizen sends through the expression page."""

    class Kind(models.TextChoices):
        IDEA = "idea", _("Idea")
        QUESTION = "question", _("Question")
        PRAISE = "praise", _("Praise")
        COMPLAINT = "complaint", _("Complaint")
        REPORT = "report", _("Report of a problem in the public space")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ACKNOWLEDGED = "acknowledged", _("taken into account")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        RESOLVED = "resolved", _("resolved")
        CLOSED = "closed", _("closed")

    # A report or a question is followed by its sender through a private link
    # (`tracking_url`), and its status changes are emailed to them.
    TRACKED_KINDS = (Kind.REPORT, Kind.QUESTION)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=150)
    message = models.TextField(_("message"), max_length=3000)
    commune = models.ForeignKey(
        "home.Commune",
        verbose_name=_("commune déléguée"),
        on_delete=models.PROTECT,
        related_name="expression_submissions",
    )
    action = models.ForeignKey(
        "actions.ActionPage",
        verbose_name=_("action of the plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expression_submissions",
    )
    photo = models.FileField(
        _("photo"), upload_to=photo_path, storage=private_storage, blank=True, max_length=200
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True, max_length=254)
    language = models.CharField(max_length=8, default="fr", editable=False)
    created_at = models.DateTimeField(_("received on"), default=timezone.now, db_index=True)

    # The staff's processing.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        max_length=5000,
        help_text=_("Read by the staff only, never sent nor published."),
    )
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    answered_at = models.DateTimeField(_("answer emailed on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Publication in the questions-and-answers page, rewritten without personal data.
    is_published = models.BooleanField(
        _("published in the questions and answers"), default=False, db_index=True
    )
    public_title = models.CharField(_("published title"), max_length=150, blank=True)
    public_question = models.TextField(
        _("published question"),
        blank=True,
        max_length=3000,
        help_text=_(
            "The message as it will be published: remove any name, address, phone number "
            "or detail that would identify someone."
        ),
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    personal_data = Processing(
        name=_("Messages sent through the idea box"),
        data=_(
            "Your name, email and photo, the message, the commune and action concerned, the answer."
        ),
        purpose=_("Process and answer ideas, questions, compliments and reports."),
        legal_basis=CONSENT,
        recipients=_(
            "The participation staff of the town hall and the service the message is "
            "assigned to. Published answers show neither name nor email."
        ),
        retention=PERSONAL_DATA_RETENTION,
        retention_note=format_lazy(
            _(
                "The message itself: {years} years, unless published without any name. "
                "A photo attached to a form that had an error and was never sent: one day."
            ),
            years=MESSAGE_RETENTION.days // 365,
        ),
        order=10,
    )

    # The admin's words for it, gendered in French (home/admin_french.py).
    admin_add_label = _("Add a citizen message")
    admin_empty_message = _("No citizen message yet.")

    class Meta:
        verbose_name = _("citizen message")
        verbose_name_plural = _("citizen messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "status"]),
            # The published answers, newest first (home page, questions and answers,
            # action pages): a few thousand among tens of thousands of messages.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(is_published=True),
                name="submission_published_idx",
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read without loading a deferred field (which would query once per row).
        self._saved_service_id = self.__dict__.get("service_id")

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        elif not self.is_published:
            self.published_at = None
        assigned_now = (
            not self._state.adding
            and self.service_id is not None
            and self.service_id != self._saved_service_id
        )
        # Given to a service, a new message no longer waits to be read: its service
        # works on it. The citizen is told (status_changed) and the history says it
        # (log_processing), as for any change of status.
        if assigned_now and self.status == self.Status.RECEIVED:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or "status" in update_fields:
                self.status = self.Status.IN_PROGRESS
        status_changed = (
            self.pk is not None
            and getattr(self, "_stored_status", None) not in (None, self.status)
            and "status" in (kwargs.get("update_fields") or ["status"])
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            if status_changed:
                self.status_changed()
            # Given to a service (or to another one): that service is told, once,
            # whichever screen did it (the edit form or the listing's bulk action).
            if assigned_now:
                self.queue_assignment_email()
        self._stored_status = self.status
        self._saved_service_id = self.service_id

    @classmethod
    def from_db(cls, db, field_names, values):
        submission = super().from_db(db, field_names, values)
        # The status as stored: a save that changes it tells the citizen.
        submission._stored_status = submission.__dict__.get("status")
        return submission

    # Tracking by the citizen -------------------------------------------------------

    @property
    def is_tracked(self):
        return self.kind in self.TRACKED_KINDS

    def tracking_token(self):
        # The page addresses take letters, digits and hyphens only (home/routing.py):
        # the message's number and a keyed hash of it, rather than Django's signing.
        return f"{self.pk}-{tracking_signature(self.pk)}"

    @classmethod
    def from_tracking_token(cls, token):
        """The message a private tracking link names, or None: the link is signed,
        and changing it names no other message."""
        number, _dash, signature = token.partition("-")
        if not number.isdigit() or len(number) > 18:
            return None
        if not constant_time_compare(signature, tracking_signature(int(number))):
            return None
        return cls.objects.filter(pk=int(number)).first()

    def tracking_url(self, page=None):
        """The private page where the citizen follows their report or question."""
        from .pages import ExpressionPage

        if page is None:
            pages = ExpressionPage.objects.live().order_by("path")
            page = pages.filter(locale__language_code=self.language).first() or pages.first()
        if page is None or not self.is_tracked:
            return ""
        return page.full_url + page.reverse_subpage("tracking", args=[self.tracking_token()])

    def tracking_order(self):
        """The statuses its sender sees it go through: a report ends resolved, a
        question answered."""
        status = self.Status
        last = status.RESOLVED if self.kind == self.Kind.REPORT else status.ANSWERED
        return [status.RECEIVED, status.ACKNOWLEDGED, status.IN_PROGRESS, last]

    def public_status_value(self):
        """The step reached: a closed message has reached the last."""
        if self.status in (self.Status.ANSWERED, self.Status.RESOLVED, self.Status.CLOSED):
            return self.tracking_order()[-1]
        return self.status

    def public_status(self):
        """The status in the words of the tracking page, which the public list of
        reports and the emails use too (reçu, pris en compte, en cours, résolu /
        répondu); the admin keeps the field's own."""
        return PUBLIC_STATUS_LABELS[self.public_status_value()]

    def status_changed(self):
        """Email the citizen the new status of their report or question (the answer
        itself is emailed by `send_answer`, which says it all)."""
        if not (self.email and self.is_tracked) or self.status == self.Status.ANSWERED:
            return
        if getattr(self, "answer_follows", False):
            return
        OutgoingEmail.queue(
            self.email,
            "expression/emails/status_change",
            {"submission": self, "tracking_url": self.tracking_url()},
            reply_to=settings.STAFF_NOTIFICATION_EMAIL,
            language=self.language,
        )

    @property
    def reference(self):
        return f"EXP-{self.pk:05d}" if self.pk else ""

    @property
    def shown_on_public_pages(self):
        # Public pages show a message only once its answer is published: the page
        # cache turns over for those alone (home/page_cache.py).
        return self.is_published

    def cache_purge_tags(self):
        """A published answer shows in the questions and answers, on the home page
        and on its action's pages."""
        tags = {"answers", "home"}
        if self.action_id:
            tags.add(page_tag(self.action))
        return tags

    @property
    def is_anonymous(self):
        return not self.email

    @property
    def author_display(self):
        if self.is_anonymous:
            return _("Anonymous")
        return f"{self.name} <{self.email}>"

    def clean(self):
        errors = {}
        if self.is_published:
            if not self.answer.strip():
                errors["is_published"] = _("Write the answer before publishing it.")
            if not self.public_title.strip():
                errors["public_title"] = _("Give the published title (without personal data).")
            if not self.public_question.strip():
                errors["public_question"] = _(
                    "Write the question as it will be published (without personal data)."
                )
        if self.photo and self.kind != self.Kind.REPORT:
            errors["photo"] = _("A photo can only be attached to a report of a problem.")
        if errors:
            raise ValidationError(errors)

    def admin_url(self):
        return settings.WAGTAILADMIN_BASE_URL + reverse("submission:edit", args=[self.pk])

    def queue_receipt_emails(self, answer_within_days, tracking_url=""):
        """The acknowledgement to the citizen (when an email was given) and the notice
        to the team's mailbox; call it in the transaction that saves the message."""
        context = {
            "submission": self,
            "answer_within_days": answer_within_days,
            "tracking_url": tracking_url,
        }
        if self.email:
            OutgoingEmail.queue(
                self.email,
                "expression/emails/acknowledgement",
                context,
                reply_to=settings.STAFF_NOTIFICATION_EMAIL,
                language=self.language,
            )
        OutgoingEmail.queue(
            settings.STAFF_NOTIFICATION_EMAIL,
            "expression/emails/staff_notice",
            {**context, "admin_url": self.admin_url()},
            reply_to=self.email,
        )

    def public_url(self):
        """Where the published question is read: the questions and answers page of the
        site's language, at the question."""
        from .pages import QuestionsAnswersPage  # the pages import this module's models

        page = (
            QuestionsAnswersPage.objects.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .order_by("path")
            .first()
        )
        return f"{page.full_url}#question-{self.pk}" if page and page.full_url else ""

    def log_processing(self, before, user):
        """Say in the history, in words, what the staff changed since `before` (the
        saved values of service, status and publication): the edit screen and the
        listing's bulk actions both call it. The answer logs itself as it is sent."""
        if self.service_id and self.service_id != before["service_id"]:
            log(self, "expression.assign", user=user, data={"service": self.service.name})
        if self.status != before["status"] and self.status != self.Status.ANSWERED:
            log(
                self,
                "expression.status",
                user=user,
                data={"from": before["status"], "to": self.status},
            )
        if self.is_published and not before["is_published"]:
            log(self, "expression.publish", user=user, data={"url": self.public_url()})
        elif before["is_published"] and not self.is_published:
            log(self, "expression.unpublish", user=user)

    def queue_assignment_email(self):
        """Tell the service its new message: what it is and where to process it. Its
        name and email stay in the admin, for who may read them there."""
        if self.service.email:
            OutgoingEmail.queue(
                self.service.email,
                "expression/emails/service_assignment",
                {"submission": self, "service": self.service, "admin_url": self.admin_url()},
                reply_to=settings.STAFF_NOTIFICATION_EMAIL,
            )

    def send_answer(self, user):
        """Email the answer to the citizen (when they gave an address) and mark the
        message as answered. Returns whether an email was queued."""
        if not self.answer.strip():
            raise ValidationError({"answer": _("Write the answer before sending it.")})
        with transaction.atomic():
            emailed = bool(self.email)
            if emailed:
                OutgoingEmail.queue(
                    self.email,
                    "expression/emails/answer",
                    {"submission": self},
                    reply_to=settings.STAFF_NOTIFICATION_EMAIL,
                    language=self.language,
                )
            self.status = self.Status.ANSWERED
            self.answered_at = timezone.now()
            self.answered_by = user
            self.save()
            # The history keeps each answer as it was sent (it may be edited later).
            log(
                self,
                "expression.answer",
                user=user,
                data={"answer": self.answer, "emailed": emailed},
            )
        return emailed

    def forget_sender(self, with_message=False):
        """Erase who sent the message: name, email and photo (its file too), and with
        `with_message` their own words and the team's notes on them, leaving the
        published, anonymised version and its answer."""
        if self.photo:
            self.photo.delete(save=False)
        self.name = self.email = ""
        fields = ["name", "email", "photo"]
        if with_message:
            self.message = self.internal_notes = ""
            fields += ["message", "internal_notes"]
        self.save(update_fields=fields)

    @classmethod
    def purge_personal_data(cls, now):
        """Erase name, email and photo after a year; delete unpublished messages after
        three years (published ones keep only their anonymised version)."""
        count = 0
        expired = cls.objects.filter(created_at__lt=now - PERSONAL_DATA_RETENTION).exclude(
            name="", email="", photo=""
        )
        for submission in expired:
            submission.forget_sender()
            count += 1
        old = cls.objects.filter(created_at__lt=now - MESSAGE_RETENTION)
        count += old.filter(is_published=False).delete()[1].get(cls._meta.label, 0)
        count += (
            old.filter(is_published=True)
            .exclude(message="", internal_notes="")
            .update(message="", internal_notes="")
        )
        # Photos kept for a form that had an error and was never sent.
        count += purge_kept_photos(now)
        return count

    @classmethod
    def personal_data_of(cls, email):
        return cls.objects.filter(email__iexact=email.strip())

    @classmethod
    def erase_personal_data(cls, email):
        """Unpublished messages are deleted; a published one keeps only its
        anonymised version and the answer, as the purge leaves it."""
        rows = cls.personal_data_of(email)
        count = 0
        for submission in rows.filter(is_published=True):
            submission.forget_sender(with_message=True)
            count += 1
        for submission in rows.filter(is_published=False):
            submission.delete()  # its photo goes with it (post_delete)
            count += 1
        return count


@receiver(post_delete, sender=Submission)
def delete_photo_file(sender, instance, **kwargs):
    # A deleted message leaves no photo behind on the disk, nor the copies of its
    # answers that its history kept (written to a named citizen).
    if instance.photo:
        instance.photo.delete(save=False)
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(sender),
        object_id=str(instance.pk),
        action="expression.answer",
    ).delete()
