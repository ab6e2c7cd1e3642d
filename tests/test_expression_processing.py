"""The participation team processes the citizens' messages in the admin: it lists and
filters them, answers by email (from a template or not), publishes an anonymised
version, sees a report's photo, exports and counts them for the steering committee,
writes its answer templates. Nobody else reads the messages."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from wagtail.models import GroupPagePermission, Page

import pytest

from expression.models import AnswerTemplate, Submission
from tests import factories
from tests.factories import expression as expression_factories
from tests.factories.actions import action_page
from tests.factories.expression import (
    action_questions_html,
    jpeg_with_location,
    message_data,
    outbox_to,
)

pytestmark = pytest.mark.django_db


AGENTS = "Participation citoyenne — agents"


@pytest.fixture
def agent(db):
    return factories.UserFactory(username="agent.participation", is_staff=False, groups=[AGENTS])


@pytest.fixture
def agent_client(agent):
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def association_client(db):
    """A member of an association: its own group, with page permissions only."""
    group = Group.objects.create(name="Association — Les Amis de Corné")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=Page.objects.get(depth=1),
        permission=Permission.objects.get(codename="change_page"),
    )
    user = factories.UserFactory(username="amis.corne", groups=[group.name])
    client = Client()
    client.force_login(user)
    return client


def test_the_team_lists_and_filters_messages(agent_client):
    expression_factories.SubmissionFactory(kind="idea", subject="Un marché bio à Corné")
    expression_factories.SubmissionFactory(kind="report", subject="Banc cassé au bord de Loire")

    response = agent_client.get(reverse("submission:index"))
    assert response.status_code == 200
    assert "Un marché bio à Corné" in response.text
    assert "Banc cassé au bord de Loire" in response.text

    filtered = agent_client.get(reverse("submission:index"), {"kind": "report"}).text
    assert "Banc cassé au bord de Loire" in filtered
    assert "Un marché bio à Corné" not in filtered
    received = agent_client.get(reverse("submission:index"), {"status": "answered"}).text
    assert "Banc cassé au bord de Loire" not in received

    report = Submission.objects.get(kind="report")
    inspect = agent_client.get(reverse("submission:inspect", args=[report.pk]))
    assert inspect.status_code == 200
    assert "camille.martin@example.org" in inspect.text


def admin_form_data(submission, **overrides):
    data = {
        "kind": submission.kind,
        "commune": submission.commune_id,
        "action": "",
        "status": submission.status,
        "service": "",
        "internal_notes": "",
        "answer_template": "",
        "answer": "",
        "public_title": "",
        "public_question": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def test_the_answer_is_emailed_and_published_without_personal_data(
    client, agent, agent_client, qa_page, home, django_capture_on_commit_callbacks
):
    action = action_page(home, number=5)
    service = expression_factories.ServiceFactory(name="Voirie")
    submission = expression_factories.SubmissionFactory(
        kind="question",
        subject="Passage piéton devant l'école",
        message="Je suis Camille Martin, 3 rue des Lilas, 06 12 34 56 78 : quand le passage "
        "piéton devant l'école sera-t-il repeint ?",
        action=action,
    )
    url = reverse("submission:edit", args=[submission.pk])
    form = agent_client.get(url)
    assert form.status_code == 200
    assert "Camille Martin" in form.text  # the team sees who wrote

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            url,
            admin_form_data(
                submission,
                action=action.pk,
                service=service.pk,
                status="in_progress",
                internal_notes="Voir avec les services techniques.",
                answer="Le passage piéton sera repeint pendant les vacances de printemps.",
                send_answer="on",
                is_published="on",
                public_title="Passage piéton devant l'école",
                public_question="Quand le passage piéton devant l'école sera-t-il repeint ?",
            ),
        )
    assert response.status_code == 302, response.context["form"].errors

    submission.refresh_from_db()
    assert submission.status == Submission.Status.ANSWERED
    assert submission.answered_by == agent
    assert submission.service == service
    assert submission.is_published and submission.published_at
    [answer] = outbox_to("camille.martin@example.org")
    assert "vacances de printemps" in answer.body
    assert submission.reference in answer.subject
    assert answer.reply_to == [settings.STAFF_NOTIFICATION_EMAIL]

    action_html = action_questions_html(action, RequestFactory().get("/"))
    for html in [client.get(qa_page.url).text, action_html]:
        assert "Le passage piéton sera repeint pendant les vacances de printemps." in html
        assert "Quand le passage piéton devant l&#x27;école sera-t-il repeint ?" in html
        for personal in ["Camille", "Martin", "camille.martin", "Lilas", "06 12 34 56 78"]:
            assert personal not in html
        assert "Voir avec les services techniques" not in html


def test_publishing_needs_an_answer_and_an_anonymised_version(agent_client):
    submission = expression_factories.SubmissionFactory()
    url = reverse("submission:edit", args=[submission.pk])
    form = agent_client.get(url).text
    # The published version starts from the message, for the team to rewrite.
    assert "Quand la salle des fêtes d&#x27;Andard rouvrira-t-elle ?</textarea>" in form

    response = agent_client.post(
        url, admin_form_data(submission, is_published="on", public_title="", public_question="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "is_published" in errors and "public_title" in errors and "public_question" in errors
    submission.refresh_from_db()
    assert not submission.is_published


def test_an_answer_template_gives_the_answer_its_text(
    agent_client, django_capture_on_commit_callbacks
):
    template = expression_factories.AnswerTemplateFactory(
        title="Signalement traité", body="Les services techniques sont intervenus. Merci !"
    )
    submission = expression_factories.SubmissionFactory(kind="report")
    form = agent_client.get(reverse("submission:edit", args=[submission.pk])).text
    assert "data-answer-templates=" in form  # filled in the browser as soon as chosen
    assert "expression/answer-templates.js" in form
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(
            reverse("submission:edit", args=[submission.pk]),
            admin_form_data(submission, answer_template=template.pk, send_answer="on"),
        )
    submission.refresh_from_db()
    assert submission.answer == "Les services techniques sont intervenus. Merci !"
    assert "Les services techniques sont intervenus" in mail.outbox[0].body


def test_an_anonymous_message_is_answered_without_any_email(
    agent_client, django_capture_on_commit_callbacks
):
    submission = expression_factories.SubmissionFactory(name="", email="")
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(
            reverse("submission:edit", args=[submission.pk]),
            admin_form_data(submission, answer="Merci pour votre idée.", send_answer="on"),
        )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ANSWERED
    assert mail.outbox == []


def test_the_csv_export_holds_no_name_nor_email(agent_client):
    expression_factories.SubmissionFactory(subject="Parking de la mairie")
    response = agent_client.get(reverse("submission:index"), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Parking de la mairie" in content
    assert "Question" in content
    assert "camille.martin@example.org" not in content
    assert "Camille Martin" not in content


def test_the_steering_committee_summary_counts_by_kind_and_status(agent_client):
    expression_factories.SubmissionFactory.create_batch(3, kind="idea")
    expression_factories.SubmissionFactory(kind="idea", status="closed")
    expression_factories.PublishedSubmissionFactory(kind="question")

    response = agent_client.get(reverse("expression-summary:index"))

    assert response.status_code == 200
    rows = response.context["rows"]
    idea = next(row for row in rows if row["label"] == "Idée")
    # received, taken into account, in progress, answered, resolved, closed
    assert idea["cells"] == [3, 0, 0, 0, 0, 1]
    assert idea["total"] == 4
    assert response.context["grand_total"] == 5
    assert response.context["published"] == 1
    assert "Synthèse pour le comité de pilotage" in response.text


def test_the_team_sees_the_photo_through_the_admin_only(
    client, agent_client, association_client, expression_page, andard
):
    client.post(
        expression_page.url, message_data(andard, kind="report", photo=jpeg_with_location())
    )
    submission = Submission.objects.get()
    photo_url = reverse("submission:photo", args=[submission.pk])

    response = agent_client.get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert photo_url in agent_client.get(reverse("submission:edit", args=[submission.pk])).text

    refused = association_client.get(photo_url)
    assert refused.status_code in {302, 403}
    assert refused.get("Content-Type", "").startswith("text/html")
    assert Client().get(photo_url).status_code == 302  # to the admin login


@pytest.mark.parametrize(
    "url",
    [
        lambda pk: reverse("submission:index"),
        lambda pk: reverse("submission:edit", args=[pk]),
        lambda pk: reverse("submission:inspect", args=[pk]),
        lambda pk: reverse("submission:index") + "?export=csv",
        lambda pk: reverse("expression-summary:index"),
        lambda pk: reverse("submission:photo", args=[pk]),
    ],
    ids=["list", "edit", "inspect", "export", "summary", "photo"],
)
def test_associations_editors_and_visitors_never_read_messages(association_client, url, home):
    submission = expression_factories.SubmissionFactory(subject="Message confidentiel")
    editor = factories.UserFactory(username="redacteur", groups=["Communication — rédacteurs"])
    editor_client = Client()
    editor_client.force_login(editor)

    for client in [association_client, editor_client]:
        response = client.get(url(submission.pk))
        assert response.status_code in {302, 403}
        assert "Message confidentiel" not in response.content.decode(errors="ignore")
    anonymous = Client().get(url(submission.pk))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    # Nor does the admin menu offer them the messages.
    assert "Messages citoyens" not in association_client.get("/admin/").text


def test_the_team_writes_its_answer_templates_and_sees_the_services(agent_client):
    response = agent_client.post(
        reverse("answertemplate:add"),
        {"title": "Idée transmise", "body": "Merci, votre idée a été transmise aux élus."},
    )
    assert response.status_code == 302
    assert AnswerTemplate.objects.get().title == "Idée transmise"
    expression_factories.ServiceFactory(name="Espaces verts")
    assert "Espaces verts" in agent_client.get(reverse("service:index")).text
    menu = agent_client.get("/admin/").text
    assert "Expression citoyenne" in menu
