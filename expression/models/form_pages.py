"""The form pages the team builds itself (a satisfaction survey, a registration): their
fields, their answers' retention and the summary of the choices made."""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, FormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.admin_french import InlinePanel
from home.forms import NOT_ANSWERS
from home.locales import content_language, default_locale_copy
from home.models import SharingMixin
from home.rgpd import CONSENT, Processing, mentions
from notifications.models import OutgoingEmail

from .pages import INTRO_FEATURES

FORM_RETENTION_DAYS = 365  # a form page's default; each page sets its own


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class AllLanguagesSubmissionsPanel(FormSubmissionsPanel):
    """Wagtail's count of a form's answers, over all its copies (see
    FormPage.get_submissions)."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        @cached_property
        def submissions(self):
            if self.instance.pk:
                return self.instance.get_submissions()
            return FormSubmission.objects.none()


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
        AllLanguagesSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields"), add_label=_("Add a field")),
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
        from ..forms import BoundedFormBuilder, public_form_class  # the forms import this module

        built = BoundedFormBuilder(self.get_form_fields()).get_form_class()
        return public_form_class(self, built)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        # The builder's labels, help texts and choices are the page's words: French on
        # an English copy not translated yet, and marked so (RGAA 8.7).
        language = content_language(self)
        if language != get_language():
            for name, field in form.fields.items():
                if name not in NOT_ANSWERS:
                    field.content_language = language
        return form

    def get_submissions(self):
        """The answers given on every language's copy of the form: a survey
        translated into English is one survey, its answers listed, summarised and
        exported together under the French page."""
        return FormSubmission.objects.filter(page__translation_key=self.translation_key)

    def serve_submissions_list_view(self, request, *args, **kwargs):
        # The answers are listed under the French page (the admin's Forms list
        # shows it alone).
        original = default_locale_copy(self)
        if original.pk != self.pk:
            query = f"?{request.GET.urlencode()}" if request.GET else ""
            return redirect(reverse("wagtailforms:list_submissions", args=[original.pk]) + query)
        return super().serve_submissions_list_view(request, *args, **kwargs)

    def get_submissions_list_view_class(self):
        from ..views import FormSubmissionsListView  # the views import this module

        return FormSubmissionsListView

    def serve(self, request, *args, **kwargs):
        from ..views import serve_form_page  # the views import this module

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
        from ..forms import summary_of  # the forms import this module

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
