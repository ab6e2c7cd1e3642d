"""A citizen who reports a problem or asks a question follows it without an account:
a private signed link shows where it stands and the answer, each change of status
the team makes is emailed to them, and the espace public lists the reports with
their status and commune, without anyone's data."""

import re
from urllib.parse import urlparse

from django.core import mail
from django.urls import reverse

import pytest

from expression.models import Submission
from tests import factories
from tests.factories import expression as xf

from .test_expression_processing import AGENTS, admin_form_data

pytestmark = pytest.mark.django_db


def tracking_path(text):
    [url] = re.findall(r"https?://[^\s\"<]+/suivi/[^\s\"<]+", text)
    return urlparse(url).path


def current_step(html):
    [step] = re.findall(r'<li[^>]*aria-current="step">(.*?)</li>', html)
    return re.sub(r"<[^>]+>|✓", "", step).strip()


@pytest.fixture
def agent_client(client):
    client.force_login(factories.UserFactory(username="agent", is_staff=False, groups=[AGENTS]))
    return client


def test_a_report_gets_a_private_tracking_link_and_its_status_changes_are_emailed(
    client, expression_page, andard, django_capture_on_commit_callbacks
):
    data = xf.message_data(
        andard,
        kind="report",
        subject="Lampadaire éteint rue de la Loire",
        message="Le lampadaire devant le numéro 12 ne s'allume plus.",
        name="Camille Martin",
        email="camille.martin@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(expression_page.url, data)
    assert response.status_code == 303
    confirmation = client.get(response["Location"])
    path = tracking_path(confirmation.text)
    [acknowledgement] = [m for m in mail.outbox if m.to == ["camille.martin@example.org"]]
    assert tracking_path(acknowledgement.body) == path

    # The link works without any session: the citizen opens it from their phone.
    page = client.__class__().get(path)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert "Suivi de EXP-" in page.text
    assert current_step(page.text) == "Reçu (statut actuel)"
    assert "camille.martin@example.org" not in page.text
    assert "Camille Martin" not in page.text

    # The team takes it into account, then marks it resolved: an email each time.
    report = Submission.objects.get(kind="report")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report.status = Submission.Status.ACKNOWLEDGED
        report.save()
    [notice] = mail.outbox
    assert notice.to == ["camille.martin@example.org"]
    assert "Pris en compte" in notice.subject
    assert tracking_path(notice.body) == path
    assert current_step(client.get(path).text) == "Pris en compte (statut actuel)"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report.status = Submission.Status.RESOLVED
        report.save()
    assert "Résolu" in mail.outbox[0].subject
    assert current_step(client.get(path).text) == "Résolu (statut actuel)"

    # Saved again without a change of status: nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report.internal_notes = "Ampoule changée."
        report.save()
    assert mail.outbox == []


def test_the_team_setting_the_status_in_the_admin_emails_the_citizen(
    agent_client, expression_page, django_capture_on_commit_callbacks
):
    question = xf.SubmissionFactory(kind="question", email="lou@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("submission:edit", args=[question.pk]),
            admin_form_data(question, status="in_progress"),
        )
    assert response.status_code == 302
    [notice] = mail.outbox
    assert notice.to == ["lou@example.org"]
    assert "en cours" in notice.body
    assert "/suivi/" in notice.body


def test_an_idea_has_no_tracking_link_and_an_anonymous_report_sends_no_email(
    expression_page, django_capture_on_commit_callbacks
):
    idea = xf.SubmissionFactory(kind="idea")
    assert idea.tracking_url() == ""
    anonymous = xf.SubmissionFactory(kind="report", name="", email="")
    assert "/suivi/" in anonymous.tracking_url()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.status = Submission.Status.IN_PROGRESS
        anonymous.save()
    assert mail.outbox == []


def test_changing_the_link_reaches_no_other_citizens_message(client, expression_page):
    mine = xf.SubmissionFactory(kind="report", subject="Nid-de-poule", email="a@example.org")
    theirs = xf.SubmissionFactory(
        kind="question", subject="Question privée de Sam", email="sam@example.org"
    )
    path = urlparse(mine.tracking_url()).path
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert client.get(path).status_code == 200

    # The same link with the other message's number, or no signature, or nonsense.
    number, signature = token.split("-", 1)
    assert number == str(mine.pk)
    forgeries = [f"{theirs.pk}-{signature}", number, token + "0", str(theirs.pk), "9" * 30 + "-0"]
    for forged in forgeries:
        response = client.get(path.replace(token, forged))
        assert response.status_code == 404
        assert "Ce lien n'est pas valide" in response.text
        assert "Question privée de Sam" not in response.text
        assert theirs.reference not in response.text


def test_the_public_list_of_reports_shows_status_and_commune_without_personal_data(
    client, qa_page, andard
):
    xf.SubmissionFactory(
        kind="report",
        subject="Lampadaire éteint devant chez Camille Martin",
        message="Au 12 rue de la Loire",
        commune=andard,
        status=Submission.Status.IN_PROGRESS,
    )
    xf.PublishedSubmissionFactory(
        kind="report",
        public_title="Banc cassé au bord de Loire",
        status=Submission.Status.RESOLVED,
        commune=factories.home.commune("corne"),
    )
    xf.SubmissionFactory(kind="question", subject="Une question, pas un signalement")
    listing = client.get(qa_page.url + qa_page.reverse_subpage("reports"))
    assert listing.status_code == 200
    assert "2 signalements." in listing.text
    assert "En cours" in listing.text and "Résolu" in listing.text and "Résolue" not in listing.text
    assert "Andard" in listing.text
    assert "Banc cassé au bord de Loire" in listing.text
    for private in ("Camille", "Lampadaire", "12 rue", "example.org", "Une question"):
        assert private not in listing.text
    assert qa_page.reverse_subpage("reports") in client.get(qa_page.url).text
    filtered = client.get(qa_page.url + qa_page.reverse_subpage("reports") + "?commune=andard")
    assert "1 signalement." in filtered.text
    hostile = client.get(qa_page.url + qa_page.reverse_subpage("reports") + "?commune=%00&page=x")
    assert hostile.status_code == 200
