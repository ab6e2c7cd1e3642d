"""Factories of citizen expression: the expression, questions-and-answers and form
pages, the citizens' messages and what the staff use to answer them; what a citizen
types in the idea box, and what the tests read back."""

from io import BytesIO

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone

import factory
import wagtail_factories
from PIL import ExifTags, Image

from expression.models import (
    AnswerTemplate,
    ExpressionPage,
    FormField,
    FormPage,
    QuestionsAnswersPage,
    Service,
    Submission,
    action_section,
)
from home.models import Commune


class ExpressionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ExpressionPage

    title = "Boîte à idées"
    slug = "boite-a-idees"
    intro = "<p>Une idée, une question, un coup de cœur ? Écrivez à la commune.</p>"


class QuestionsAnswersPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = QuestionsAnswersPage

    title = "Questions et réponses"
    slug = "questions-reponses"


class FormPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FormPage

    title = factory.Sequence(lambda n: f"Enquête {n}")
    intro = "<p>Donnez-nous votre avis.</p>"


class FormFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormField

    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = True


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("name",)

    name = "Voirie"


class AnswerTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerTemplate

    title = factory.Sequence(lambda n: f"Réponse type {n}")
    body = "Merci pour votre message. Le service concerné étudie votre demande."


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    kind = Submission.Kind.QUESTION
    subject = factory.Sequence(lambda n: f"Question {n} sur la commune")
    message = "Quand la salle des fêtes d'Andard rouvrira-t-elle ?"
    commune = factory.LazyFunction(lambda: Commune.objects.order_by("sort_order").first())
    name = "Camille Martin"
    email = "camille.martin@example.org"


class PublishedSubmissionFactory(SubmissionFactory):
    status = Submission.Status.ANSWERED
    answer = "La salle rouvrira en septembre après les travaux."
    answered_at = factory.LazyFunction(timezone.now)
    is_published = True
    public_title = factory.Sequence(lambda n: f"Réouverture de la salle {n}")
    public_question = "Quand la salle des fêtes rouvrira-t-elle ?"


def expression_page(home):
    return ExpressionPage.objects.child_of(home).first() or ExpressionPageFactory(parent=home)


def questions_answers_page(home):
    return QuestionsAnswersPage.objects.child_of(home).first() or QuestionsAnswersPageFactory(
        parent=home
    )


def form_page_with_fields(home, **kwargs):
    page = FormPageFactory(parent=home, **kwargs)
    FormFieldFactory(page=page, label="Votre avis", field_type="radio", choices="Bon\nMoyen")
    return page


def message_data(place, **overrides):
    data = {
        "kind": "question",
        "subject": "Horaires de la bibliothèque",
        "message": "La bibliothèque d'Andard ouvre-t-elle le samedi après-midi ?",
        "commune": place.pk,
        "action": "",
        "reply": "email",
        "name": "Camille Martin",
        "email": "camille.martin@example.org",
        "website": "",
        "consent": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def jpeg_with_location(name="IMG_0042.jpg", size=(1600, 1200)):
    """A phone photo: its GPS position and the phone's make and model in its EXIF."""
    image = Image.new("RGB", size, (120, 90, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (47.0, 27.0, 36.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 25.0, 12.0),
    }
    output = BytesIO()
    image.save(output, "JPEG", exif=exif)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def outbox_to(address):
    return [email for email in mail.outbox if address in email.to]


def action_questions_html(action, request):
    """The questions section of an action page, as its page renders it."""
    section = action_section(action)
    return render_to_string(
        section["template"], {"items": section["items"], "action": action, "request": request}
    )


PAGE_FACTORIES = {
    ExpressionPage: expression_page,
    QuestionsAnswersPage: questions_answers_page,
    FormPage: form_page_with_fields,
}
