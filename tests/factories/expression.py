"""Factories of citizen expression: the expression, questions-and-answers and form
pages, the citizens' messages and what the staff use to answer them."""

from django.utils import timezone

import factory
import wagtail_factories

from expression.models import (
    AnswerTemplate,
    ExpressionPage,
    FormField,
    FormPage,
    QuestionsAnswersPage,
    Service,
    Submission,
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


PAGE_FACTORIES = {
    ExpressionPage: expression_page,
    QuestionsAnswersPage: questions_answers_page,
    FormPage: form_page_with_fields,
}
