"""Citizen expression (plan actions 5 and 29): what citizens send the commune through
the expression page, how the staff process and answer it, and the answers published
in the questions-and-answers page; plus the form pages the team builds itself."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, FormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from actions.models import ActionPage
from home.forms import NOT_ANSWERS
from home.models import SharingMixin
from home.rgpd import CONSENT, Processing, mentions
from notifications.models import OutgoingEmail

from .photos import photo_path, private_storage

INTRO_FEATURES = ["bold", "italic", "link", "ul", "ol"]

# What a citizen's message keeps, and for how long (said on the form, applied by
# `purge_personal_data`): the name, email and photo one year after sending; the
# message itself three years, unless the commune published it without any name.
PERSONAL_DATA_RETENTION = timedelta(days=365)
MESSAGE_RETENTION = timedelta(days=3 * 365)
FORM_RETENTION_DAYS = 365  # a form page's default; each page sets its own


class Service(models.Model):
    """A municipal service a message can be assigned to (voirie, espaces verts…)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    email = models.EmailField(_("service email"), blank=True)

    class Meta:
        verbose_name = _("municipal service")
        verbose_name_plural = _("municipal services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AnswerTemplate(models.Model):
    """A reusable answer the staff start from (and edit) when they answer a message."""

    title = models.CharField(_("title"), max_length=120, unique=True)
    body = models.TextField(_("text of the answer"), max_length=5000)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["title"]

    def __str__(self):
        return self.title


class SubmissionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True).exclude(answer="")

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
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

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
        purpose=_("Process and answer ideas, questions, coups de cœur and reports."),
        legal_basis=CONSENT,
        recipients=_(
            "The participation staff of the town hall and the service the message is "
            "assigned to. Published answers show neither name nor email."
        ),
        retention=PERSONAL_DATA_RETENTION,
        retention_note=format_lazy(
            _("The message itself: {years} years, unless published without any name."),
            years=MESSAGE_RETENTION.days // 365,
        ),
        order=10,
    )

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

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        elif not self.is_published:
            self.published_at = None
        super().save(*args, **kwargs)

    @property
    def reference(self):
        return f"EXP-{self.pk:05d}" if self.pk else ""

    @property
    def shown_on_public_pages(self):
        # Public pages show a message only once its answer is published: the page
        # cache turns over for those alone (home/page_cache.py).
        return self.is_published

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

    def queue_receipt_emails(self, answer_within_days):
        """The acknowledgement to the citizen (when an email was given) and the notice
        to the team's mailbox; call it in the transaction that saves the message."""
        context = {"submission": self, "answer_within_days": answer_within_days}
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


def with_action_pages(questions, locale_id):
    """Give each published question `action_page`: its action in the reader's language
    (one query for the lot, not one per question)."""
    questions = list(questions)
    # An action already in the reader's language (French, mostly) needs no query.
    pages = {
        question.action.translation_key: question.action
        for question in questions
        if question.action and question.action.locale_id == locale_id and question.action.live
    }
    keys = {
        question.action.translation_key
        for question in questions
        if question.action and question.action.locale_id != locale_id
    }
    if keys:
        pages |= {
            action.translation_key: action
            for action in ActionPage.objects.live().filter(
                translation_key__in=keys, locale_id=locale_id
            )
        }
    for question in questions:
        question.action_page = (
            pages.get(question.action.translation_key) if question.action else None
        )
    return questions


@receiver(post_delete, sender=Submission)
def delete_photo_file(sender, instance, **kwargs):
    # A deleted message leaves no photo behind on the disk.
    if instance.photo:
        instance.photo.delete(save=False)


class ExpressionPage(RoutablePageMixin, SharingMixin, Page):
    """The idea box: the one form through which citizens send ideas, questions, coups de
    cœur, coups de gueule and reports of problems in the public space."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    answer_within_days = models.PositiveSmallIntegerField(
        _("answer within (days)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("The time the commune commits to for an answer, told to the citizen."),
    )
    confirmation_text = RichTextField(
        _("confirmation text"),
        features=INTRO_FEATURES,
        blank=True,
        help_text=_("Shown after sending, below what happens next."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("answer_within_days"),
        FieldPanel("confirmation_text"),
    ]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        TranslatableField("confirmation_text"),
        SynchronizedField("answer_within_days"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("expression page")
        verbose_name_plural = _("expression pages")

    @path("", name="form")
    def form_view(self, request):
        from .views import expression_form  # the views import this module

        return expression_form(request, self)

    @path("confirmation/", name="confirmation")
    def confirmation_view(self, request):
        from .views import expression_confirmation  # the views import this module

        return expression_confirmation(request, self)

    def questions_answers_page(self):
        return (
            QuestionsAnswersPage.objects.live()
            .filter(locale_id=self.locale_id)
            .order_by("path")
            .first()
        )


class QuestionsAnswersPage(RoutablePageMixin, SharingMixin, Page):
    """The plan's "rubrique questions/réponses": the messages the staff published with
    their answers, without any personal data."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("questions and answers page")
        verbose_name_plural = _("questions and answers pages")

    @path("", name="index")
    def index_view(self, request):
        from .views import questions_answers  # the views import this module

        return questions_answers(request, self)


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(SharingMixin, AbstractEmailForm):
    """A form the team builds itself (a satisfaction survey, a registration), with the
    protections of every public form; its answers are in the admin's Forms menu."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    thank_you_text = RichTextField(
        _("thank-you text"), features=INTRO_FEATURES, blank=True, max_length=2000
    )
    retention_days = models.PositiveSmallIntegerField(
        _("answers kept for (days)"),
        default=FORM_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(1095)],
        help_text=_("The answers are deleted after this time; the form says so."),
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        FieldPanel("retention_days"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Email notification"),
        ),
    ]
    translatable_fields = [
        TranslatableField("title"),
        *SharingMixin.promote_translatable_fields,
        TranslatableField("intro"),
        TranslatableField("thank_you_text"),
        SynchronizedField("retention_days"),
        SynchronizedField("to_address"),
        SynchronizedField("from_address"),
        SynchronizedField("subject"),
    ]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("form page")
        verbose_name_plural = _("form pages")

    def get_form_class(self):
        from .forms import BoundedFormBuilder, public_form_class  # the forms import this module

        built = BoundedFormBuilder(self.get_form_fields()).get_form_class()
        return public_form_class(self, built)

    def get_submissions_list_view_class(self):
        from .views import FormSubmissionsListView  # the views import this module

        return FormSubmissionsListView

    def serve(self, request, *args, **kwargs):
        from .views import serve_form_page  # the views import this module

        return serve_form_page(request, self)

    def process_form_submission(self, form):
        # The honeypot, the consent box and the form's token are not answers.
        data = {name: value for name, value in form.cleaned_data.items() if name not in NOT_ANSWERS}
        with transaction.atomic():
            submission = FormSubmission.objects.create(form_data=data, page=self)
            if self.to_address:
                self.send_mail(form)
        return submission

    def send_mail(self, form):
        # Through the queue, never from the request: an outage loses nothing.
        lines = self.render_email(form)
        for address in [part.strip() for part in self.to_address.split(",") if part.strip()]:
            OutgoingEmail.queue(
                address,
                "expression/emails/form_submission",
                {"page": self, "subject": self.subject or self.title, "lines": lines},
                reply_to=self.from_address,
            )

    def render_email(self, form):
        cleaned = {
            name: value for name, value in form.cleaned_data.items() if name not in NOT_ANSWERS
        }
        original, form.cleaned_data = form.cleaned_data, cleaned
        try:
            return super().render_email(form)
        finally:
            form.cleaned_data = original

    def choice_summary(self):
        """For each choice field: how many answers chose each option (what the staff
        read to analyse a survey)."""
        from .forms import summary_of  # the forms import this module

        return summary_of(self)

    personal_data = Processing(
        name=_("Answers to the forms built by the commune (surveys, registrations)"),
        data=_("The answers given, with any name or email a form asks for."),
        purpose=_("Analyse the survey or organise what the form is about."),
        legal_basis=CONSENT,
        recipients=_("The communication team and the address each form notifies."),
        retention_note=format_lazy(
            _("Set on each form and stated above its sending button ({days} days by default)."),
            days=FORM_RETENTION_DAYS,
        ),
        order=20,
    )

    @classmethod
    def personal_data_of(cls, email):
        """The answers that mention `email` in any field (a form's fields are the
        team's choice, so every value is searched)."""
        candidates = (
            FormSubmission.objects.annotate(text=Cast("form_data", TextField()))
            .filter(text__icontains=email.strip())
            .order_by("pk")
        )
        return [row for row in candidates if mentions(row.text, email)]

    @classmethod
    def erase_personal_data(cls, email):
        rows = cls.personal_data_of(email)
        FormSubmission.objects.filter(pk__in=[row.pk for row in rows]).delete()
        return len(rows)

    @classmethod
    def purge_personal_data(cls, now):
        count = 0
        for page in cls.objects.only("pk", "retention_days"):
            expired = FormSubmission.objects.filter(
                page=page, submit_time__lt=now - timedelta(days=page.retention_days)
            )
            count += expired.delete()[0]
        return count


def home_highlight(home, qa_page):
    """The home page's highlight: the commune's three latest published answers (the
    questions and answers page, the home page's child, or None)."""
    items = []
    if qa_page is not None:
        items = with_action_pages(
            Submission.objects.published()
            .select_related("commune", "action")
            .order_by("-published_at", "-pk")[:3],
            home.locale_id,
        )
    return {
        "title": qa_page.title if qa_page else "",
        "template": "expression/includes/highlight_answers.html",
        "items": items,
        "more_url": qa_page.url if qa_page else "",
        "more_label": _("All the questions and answers"),
    }


def action_section(action):
    """The section an action page of the plan shows about citizens' messages (for
    `ActionPage.linked_content`): its published questions and ideas, newest first."""
    items = with_action_pages(
        Submission.objects.published()
        .for_action(action)
        .select_related("commune", "action")
        .order_by("-published_at", "-pk")[:5],
        action.locale_id,
    )
    return {
        "title": _("Your questions and ideas about this action"),
        "template": "expression/includes/action_questions_list.html",
        "items": items,
        # Shown even with no question yet: it invites the reader to ask the first one.
        "always": True,
    }
