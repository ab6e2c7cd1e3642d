"""The forms the team builds itself (FormPage): the satisfaction survey of the town
halls' reception (plan action 9), with the protections of every public form, its
answers in the admin's Forms menu, their CSV export and a summary of the choices."""

from datetime import timedelta
from io import StringIO

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission

import pytest

from expression import demo
from expression.models import FormPage, Submission
from notifications.models import OutgoingEmail
from tests import factories
from tests.factories.expression import FormFieldFactory, FormPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(home):
    page = FormPageFactory(
        parent=home,
        title="Votre avis sur l'accueil en mairie",
        slug="avis-accueil",
        to_address="accueil@loire-authion.fr",
        subject="Nouvelle réponse à l'enquête",
        retention_days=180,
    )
    FormFieldFactory(
        page=page,
        label="Êtes-vous satisfait de l'accueil ?",
        field_type="radio",
        choices="Très satisfait\nSatisfait\nPas satisfait",
    )
    FormFieldFactory(
        page=page,
        label="Pour quelles démarches ?",
        field_type="checkboxes",
        choices="État civil\nUrbanisme\nFrance services",
        required=False,
    )
    FormFieldFactory(page=page, label="Une suggestion ?", field_type="multiline", required=False)
    return page


def answers(**overrides):
    data = {
        "etes_vous_satisfait_de_laccueil": "Satisfait",
        "pour_quelles_demarches": ["État civil", "France services"],
        "une_suggestion": "Ouvrir le samedi matin <b>aussi</b>.",
        "website": "",
        "consent": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def staff_client(db):
    user = factories.UserFactory(username="chargee.accueil", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_an_answer_is_stored_without_the_protections_and_the_team_is_told(
    client, survey, django_capture_on_commit_callbacks
):
    form_html = client.get(survey.url).text
    assert "conserve mes réponses à ce formulaire pendant 180 jours" in form_html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(survey.url, answers())

    assert response.status_code == 200
    assert "Merci, vos réponses ont bien été envoyées" in response.text
    submission = FormSubmission.objects.get(page=survey)
    assert submission.form_data == {
        "etes_vous_satisfait_de_laccueil": "Satisfait",
        "pour_quelles_demarches": ["État civil", "France services"],
        "une_suggestion": "Ouvrir le samedi matin <b>aussi</b>.",
    }
    email = OutgoingEmail.objects.get()
    assert email.to == "accueil@loire-authion.fr"
    assert email.status == OutgoingEmail.Status.SENT
    [sent] = mail.outbox
    assert sent.subject == "Nouvelle réponse à l'enquête"
    assert "Êtes-vous satisfait de l'accueil ? : Satisfait" in sent.body or (
        "Êtes-vous satisfait de l'accueil ?: Satisfait" in sent.body
    )
    assert "website" not in sent.body and "consent" not in sent.body.lower()


@pytest.mark.parametrize(
    "overrides",
    [
        {"consent": None},
        {"website": "http://spam.example"},
        {"une_suggestion": "x" * 3001},
        {"etes_vous_satisfait_de_laccueil": "Ravi"},
        {"etes_vous_satisfait_de_laccueil": None},
    ],
    ids=["no-consent", "honeypot", "too-long", "unknown-choice", "required-missing"],
)
def test_invalid_answers_are_refused_and_nothing_is_saved(
    client, survey, overrides, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(survey.url, answers(**overrides))
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in response.text
    assert FormSubmission.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


def test_too_many_answers_from_one_address_get_a_429(client, survey, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = (2, 3600)
    statuses = [client.post(survey.url, answers()).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert FormSubmission.objects.count() == 2


def test_the_team_reads_a_summary_of_the_choices_and_exports_the_answers(
    client, staff_client, survey
):
    for satisfaction, steps in [
        ("Très satisfait", ["État civil"]),
        ("Satisfait", ["État civil", "Urbanisme"]),
        ("Satisfait", []),
    ]:
        client.post(
            survey.url,
            answers(etes_vous_satisfait_de_laccueil=satisfaction, pour_quelles_demarches=steps),
        )

    listing = staff_client.get(reverse("wagtailforms:list_submissions", args=[survey.pk]))
    summary_url = reverse("expression_form_summary", args=[survey.pk])
    assert summary_url in listing.text
    assert "Synthèse des résultats" in listing.text

    response = staff_client.get(summary_url)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["total"] == 3
    satisfaction, steps = summary["fields"]
    assert [(choice["label"], choice["count"]) for choice in satisfaction["choices"]] == [
        ("Très satisfait", 1),
        ("Satisfait", 2),
        ("Pas satisfait", 0),
    ]
    assert satisfaction["choices"][1]["percent"] == 67
    assert steps["answered"] == 2
    assert [(choice["label"], choice["count"]) for choice in steps["choices"]] == [
        ("État civil", 2),
        ("Urbanisme", 1),
        ("France services", 0),
    ]
    assert "Très satisfait" in response.text

    export = staff_client.get(
        reverse("wagtailforms:list_submissions", args=[survey.pk]), {"export": "csv"}
    )
    content = b"".join(export.streaming_content).decode()
    assert "Très satisfait" in content
    assert "Ouvrir le samedi matin" in content


def test_associations_and_visitors_do_not_read_the_answers(client, survey, db):
    group = Group.objects.create(name="Association — Comité des fêtes de Bauné")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    member = factories.UserFactory(username="comite.baune", groups=[group.name])
    member_client = Client()
    member_client.force_login(member)
    summary_url = reverse("expression_form_summary", args=[survey.pk])

    response = member_client.get(summary_url)
    assert response.status_code in {302, 403}
    assert "summary" not in (response.context or {})
    assert client.get(summary_url)["Location"].startswith("/admin/login/")


def test_answers_are_deleted_after_the_stated_period(survey):
    old = FormSubmission.objects.create(page=survey, form_data={"une_suggestion": "ancienne"})
    FormSubmission.objects.filter(pk=old.pk).update(
        submit_time=timezone.now() - timedelta(days=181)
    )
    recent = FormSubmission.objects.create(page=survey, form_data={"une_suggestion": "récente"})

    call_command("purge_personal_data", stdout=StringIO())

    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_demo_brings_the_idea_box_its_answers_and_the_survey(client, home):
    demo.load(StringIO())
    counts = (Submission.objects.count(), FormSubmission.objects.count())
    demo.load(StringIO())  # a second run creates nothing
    assert (Submission.objects.count(), FormSubmission.objects.count()) == counts

    assert client.get("/boite-a-idees/").status_code == 200
    answers = client.get("/questions-reponses/").text
    assert "Des bacs potagers partagés près de l&#x27;école" in answers
    survey = FormPage.objects.get(slug="avis-accueil-mairie")
    assert client.get(survey.url).status_code == 200
    satisfaction = survey.choice_summary()["fields"][0]
    assert ("Très satisfait", 2) in [
        (choice["label"], choice["count"]) for choice in satisfaction["choices"]
    ]
