"""The staff process several rows at once from a listing (issue 13): citizens' messages
assigned to a service (which is emailed) or marked processed, volunteer requests
accepted or declined with a reason (each volunteer emailed), ceremony sign-ups
confirmed or declined (each person emailed once), hours validated or deleted. Each row
goes the way its edit screen would take it; nobody acts on a row out of their scope.
Also: the history of a message tells the answer sent and the publication, and a
superuser gets one email per page submitted for moderation."""

from django.core import mail
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from bénévolat.models import VolunteerHours, VolunteerRequest
from events.models import CeremonyKind, CeremonyRegistration
from expression.models import Submission
from tests import factories
from tests.factories import benevolat as bf
from tests.factories import expression as expression_factories
from tests.factories.events import CeremonyPageFactory, agenda, dates, paris
from tests.factories.expression import outbox_to
from tests.factories.home import login
from tests.test_expression_processing import AGENTS, admin_form_data

pytestmark = pytest.mark.django_db

MODERATORS = "Communication — modérateurs"
SERVICE_EMAIL = "voirie@loire-authion.example.org"


def bulk_url(model, action, *rows, **query):
    url = reverse(
        "wagtail_bulk_action", args=[model._meta.app_label, model._meta.model_name, action]
    )
    ids = "&".join(f"id={row if isinstance(row, str) else row.pk}" for row in rows)
    extra = "".join(f"&{name}={value}" for name, value in query.items())
    return f"{url}?{ids}{extra}&next=/admin/"


@pytest.fixture
def agent(db):
    return factories.UserFactory(username="agent.participation", groups=[AGENTS])


@pytest.fixture
def agent_client(client, agent):
    return login(client, agent)


@pytest.fixture
def voirie(db):
    return expression_factories.ServiceFactory(name="Voirie", email=SERVICE_EMAIL)


@pytest.fixture
def messages(db):
    return [
        expression_factories.SubmissionFactory(
            kind="report", subject="Nid-de-poule rue de la Loire"
        ),
        expression_factories.SubmissionFactory(
            kind="question", subject="Horaires de la déchèterie"
        ),
    ]


# Citizens' messages ---------------------------------------------------------------------


def test_messages_assigned_together_each_email_the_service_once(
    agent_client, messages, voirie, django_capture_on_commit_callbacks
):
    url = bulk_url(Submission, "assign", *messages)
    confirmation = agent_client.get(url).text
    assert "Confier à un service" in confirmation
    assert "Nid-de-poule rue de la Loire" in confirmation
    assert "Horaires de la déchèterie" in confirmation

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(url, {"service": voirie.pk})
    assert response.status_code == 302

    assert {message.service for message in Submission.objects.all()} == {voirie}
    # Both were new: both are now in progress.
    assert {message.status for message in Submission.objects.all()} == {"in_progress"}
    emails = outbox_to(SERVICE_EMAIL)
    assert len(emails) == 2
    pothole = next(email for email in emails if "Nid-de-poule" in email.subject)
    assert messages[0].reference in pothole.subject
    assert "Signalement d'un problème dans l'espace public" in pothole.body
    assert f"Commune déléguée : {messages[0].commune}" in pothole.body
    assert reverse("submission:edit", args=[messages[0].pk]) in pothole.body
    assert "Voirie" in pothole.body
    # Who wrote stays in the admin.
    assert "Camille" not in pothole.body and "camille.martin" not in pothole.body
    listing = agent_client.get(reverse("submission:index")).text
    assert "2 messages confiés à Voirie." in listing

    # Assigned again to the same service: nobody is written to twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(url, {"service": voirie.pk})
    assert mail.outbox == []


def test_a_message_assigned_on_its_screen_emails_the_service_once(
    agent_client, messages, voirie, django_capture_on_commit_callbacks
):
    message = messages[0]
    url = reverse("submission:edit", args=[message.pk])
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(url, admin_form_data(message, service=voirie.pk))
    # Given to a service, the new report is in progress: its sender is told, once.
    message.refresh_from_db()
    assert message.status == Submission.Status.IN_PROGRESS
    # Saved again from its screen, as it now shows (in progress).
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(url, admin_form_data(message, service=voirie.pk, internal_notes="Vu."))

    [email] = outbox_to(SERVICE_EMAIL)
    [status_email] = outbox_to(message.email)
    assert "En cours" in status_email.subject  # the tracking page's word
    assert len(mail.outbox) == 2
    history = agent_client.get(reverse("submission:history", args=[message.pk])).text
    assert history.count("Confié à Voirie") == 1
    assert history.count("Statut : reçue → en cours") == 1


def test_a_message_already_in_hand_keeps_its_status_when_assigned(
    agent_client, messages, voirie, django_capture_on_commit_callbacks
):
    message = messages[0]
    message.status = Submission.Status.ANSWERED
    message.save()
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(bulk_url(Submission, "assign", message), {"service": voirie.pk})

    message.refresh_from_db()
    assert message.service == voirie and message.status == Submission.Status.ANSWERED


def test_choosing_no_service_assigns_nothing(agent_client, messages):
    response = agent_client.post(bulk_url(Submission, "assign", *messages), {"service": ""})

    assert response.status_code == 200
    assert "Champ requis" in response.text
    assert not Submission.objects.filter(service__isnull=False).exists()


def test_messages_marked_as_processed_say_so_in_their_history(agent_client, messages):
    response = agent_client.post(bulk_url(Submission, "close", *messages))

    assert response.status_code == 302
    assert set(Submission.objects.values_list("status", flat=True)) == {"closed"}
    history = agent_client.get(reverse("submission:history", args=[messages[0].pk])).text
    assert "Statut : reçue → close" in history
    assert "agent.participation" in history or "Agent" in history


def test_all_in_listing_takes_the_listings_filters(agent_client, messages):
    Submission.objects.filter(pk=messages[1].pk).update(status="answered")

    agent_client.post(bulk_url(Submission, "close", "all", status="received"))

    statuses = dict(Submission.objects.values_list("pk", "status"))
    assert statuses == {messages[0].pk: "closed", messages[1].pk: "answered"}


def test_who_may_not_read_messages_cannot_act_on_them(client, messages, home):
    editor = factories.UserFactory(username="redacteur", groups=["Communication — rédacteurs"])
    login(client, editor)

    # Wagtail sends who may not back to the dashboard, with its "not allowed" message.
    assert client.get(bulk_url(Submission, "close", *messages)).status_code in {302, 403}
    assert client.post(bulk_url(Submission, "close", *messages)).status_code in {302, 403}
    assert not Submission.objects.filter(status="closed").exists()


def test_ids_that_are_not_messages_get_a_404(agent_client, messages):
    assert agent_client.get(bulk_url(Submission, "close", "abc", "99999")).status_code == 404


def test_the_history_shows_the_answer_sent_and_the_publication(
    agent_client, agent, messages, qa_page, django_capture_on_commit_callbacks
):
    message = messages[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("submission:edit", args=[message.pk]),
            admin_form_data(
                message,
                answer="La déchèterie ouvre le samedi de 9 h à 18 h.",
                send_answer="on",
                is_published="on",
                public_title="Horaires de la déchèterie",
                public_question="Quand la déchèterie ouvre-t-elle ?",
            ),
        )
    assert response.status_code == 302

    history = agent_client.get(reverse("submission:history", args=[message.pk])).text
    assert "Réponse envoyée par courriel à la personne" in history
    assert "La déchèterie ouvre le samedi de 9 h à 18 h." in history
    assert agent.get_username() in history or agent.get_full_name() in history
    assert "Publié dans les questions et réponses, sans données personnelles" in history
    assert f"{qa_page.url}#question-{message.pk}" in history

    # The public page holds the anchor the history links to.
    assert f'id="question-{message.pk}"' in agent_client.get(qa_page.url).text


def test_the_answers_kept_in_the_history_go_with_the_message(agent, messages):
    message = messages[0]
    message.answer = "Merci, nous intervenons."
    message.send_answer(agent)
    assert ModelLogEntry.objects.filter(action="expression.answer").count() == 1

    message.delete()

    assert not ModelLogEntry.objects.filter(action="expression.answer").exists()


# Volunteer requests ---------------------------------------------------------------------


def test_an_association_declines_its_requests_with_one_reason_each_volunteer_emailed(
    client, world, django_capture_on_commit_callbacks
):
    other = bf.VolunteerRequestFactory(mission=world["mission_a"], name="Hugo pour le comité")
    login(client, world["member_a"])
    # Another association's request slipped into the address is not even named.
    url = bulk_url(VolunteerRequest, "decline", world["request_a"], other, world["request_b"])
    confirmation = client.get(url).text
    assert "Jeanne pour le comité" in confirmation and "Hugo pour le comité" in confirmation
    assert "Paul pour le foot" not in confirmation

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decline_reason": "filled"})
    assert response.status_code == 302

    statuses = dict(VolunteerRequest.objects.values_list("name", "status"))
    assert statuses["Jeanne pour le comité"] == statuses["Hugo pour le comité"] == "declined"
    assert statuses["Paul pour le foot"] == "new"
    for volunteer in (world["request_a"], other):
        [email] = outbox_to(volunteer.email)
        assert "la mission a trouvé ses bénévoles" in email.body
    assert len(mail.outbox) == 2

    # Declined again: nobody is written to twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decline_reason": "profile"})
    assert len(mail.outbox) == 2


def test_declining_needs_a_reason(client, world):
    login(client, world["moderator"])
    response = client.post(bulk_url(VolunteerRequest, "decline", world["request_a"]), {})

    assert response.status_code == 200
    assert "Champ requis" in response.text
    assert VolunteerRequest.objects.get(pk=world["request_a"].pk).status == "new"


def test_accepting_stops_at_the_missions_last_place_and_says_who_was_left(client, world):
    mission = world["mission_a"]
    mission.volunteers_needed = 1
    mission.save()
    second = bf.VolunteerRequestFactory(mission=mission, name="Hugo pour le comité")
    login(client, world["moderator"])

    response = client.post(
        bulk_url(VolunteerRequest, "accept", world["request_a"], second), follow=True
    )

    accepted = VolunteerRequest.objects.filter(mission=mission, status="accepted")
    assert accepted.count() == 1
    assert "1 demande acceptée." in response.text
    assert "plus de place" in response.text


# Ceremony sign-ups ----------------------------------------------------------------------


@pytest.fixture
def sign_ups(home):
    ceremony = CeremonyPageFactory(
        parent=agenda(home),
        title="Accueil des nouveau-nés 2027",
        kind=CeremonyKind.BIRTH,
        occurrences=dates(paris(2027, 6, 19, 11)),
    )
    return [
        CeremonyRegistration.objects.create(
            ceremony=ceremony, name=name, email=f"{email}@example.org", status=status
        )
        for name, email, status in [
            ("Léa", "lea", "recue"),
            ("Hugo", "hugo", "recue"),
            ("Inès", "ines", "confirmee"),
        ]
    ]


@pytest.fixture
def moderator_client(client, db):
    return login(client, factories.UserFactory(username="moderateur", groups=[MODERATORS]))


def test_sign_ups_confirmed_together_email_each_person_once(
    moderator_client, sign_ups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            bulk_url(CeremonyRegistration, "confirm", *sign_ups), follow=True
        )

    assert set(CeremonyRegistration.objects.values_list("status", flat=True)) == {"confirmee"}
    # Inès was already confirmed: she was told then, not again now.
    assert sorted(email.to[0] for email in mail.outbox) == ["hugo@example.org", "lea@example.org"]
    assert all("confirmée" in email.subject for email in mail.outbox)
    assert "2 inscriptions confirmées" in response.text


def test_sign_ups_declined_together_tell_each_person_the_reason(
    moderator_client, sign_ups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            bulk_url(CeremonyRegistration, "decline", *sign_ups[:2]),
            {"staff_note": "La cérémonie est complète."},
        )

    assert len(mail.outbox) == 2
    for email in mail.outbox:
        assert "La raison :" in email.body and "La cérémonie est complète." in email.body
    assert CeremonyRegistration.objects.filter(status="refusee").count() == 2


# Volunteering hours ---------------------------------------------------------------------


@pytest.fixture
def hours(world):
    return [
        bf.VolunteerHoursFactory(mission=world["mission_a"], volunteer_name="Jeanne"),
        bf.VolunteerHoursFactory(mission=world["mission_b"], volunteer_name="Paul"),
    ]


def test_the_team_validates_hours_and_a_change_asks_for_a_new_validation(client, world, hours):
    login(client, world["moderator"])

    response = client.post(bulk_url(VolunteerHours, "validate", *hours), follow=True)

    assert "2 heures de bénévolat validées." in response.text
    jeanne = VolunteerHours.objects.get(volunteer_name="Jeanne")
    assert jeanne.is_validated and jeanne.validated_by == world["moderator"]
    jeanne.note = "Buvette"
    jeanne.save()
    assert VolunteerHours.objects.get(pk=jeanne.pk).is_validated  # a note vouches for nothing
    jeanne.hours = 4
    jeanne.save()
    assert not VolunteerHours.objects.get(pk=jeanne.pk).is_validated


def test_an_association_deletes_its_own_hours_but_validates_none(client, world, hours):
    login(client, world["member_a"])

    confirmation = client.get(bulk_url(VolunteerHours, "validate", *hours)).text
    assert "Vous ne pouvez pas" in confirmation
    client.post(bulk_url(VolunteerHours, "validate", *hours))
    assert not VolunteerHours.objects.filter(validated_at__isnull=False).exists()

    client.post(bulk_url(VolunteerHours, "delete", *hours))
    assert list(VolunteerHours.objects.values_list("volunteer_name", flat=True)) == ["Paul"]


def test_the_hours_listing_links_each_row_and_shows_what_is_validated(client, world, hours):
    hours[0].validate(world["moderator"])
    login(client, world["moderator"])

    listing = client.get(reverse("benevolat_hours:index")).text

    assert reverse("benevolat_hours:edit", args=[hours[0].pk]) in listing
    assert "Validées" in listing or "validées" in listing
    assert "data-bulk-action-checkbox" in listing
    filtered = client.get(reverse("benevolat_hours:index"), {"validated": "false"}).text
    assert "Paul" in filtered and "Jeanne" not in filtered


# Moderation emails ----------------------------------------------------------------------


def test_a_superuser_gets_one_email_per_page_submitted_for_moderation(client, world):
    from tests.test_benevolat_admin_pages import EditFormData

    superuser = factories.UserFactory(
        username="admin", email="admin@loire-authion.example.org", is_superuser=True
    )
    comite = world["comite"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[comite.pk])
    login(client, world["member_a"])
    data = EditFormData.of(client.get(edit_url).text)
    data["action-submit"] = "action-submit"

    assert client.post(edit_url, data).status_code == 302

    assert len([email for email in mail.outbox if email.to == [superuser.email]]) == 1
    assert len([email for email in mail.outbox if email.to == [world["moderator"].email]]) == 1
