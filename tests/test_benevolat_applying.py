"""A citizen offers help with "Je veux aider", for a mission or to the team in general,
in French or in English: the request is stored and three emails go out, even through
a mail server outage; bad input, a closed or full mission and too many forms are
refused; old requests are purged."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

import pytest

from bénévolat.models import MissionPage, VolunteerRequest
from notifications.models import OutgoingEmail
from tests.factories import benevolat as bf

pytestmark = pytest.mark.django_db


def apply_data(**overrides):
    data = {
        "name": "Jeanne Dupuis",
        "email": "jeanne@example.org",
        "phone": "06 12 34 56 78",
        "commune": "",
        "availability": "Le samedi",
        "message": "Je peux aider à la buvette.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@override_settings(STAFF_NOTIFICATION_EMAIL="participation@loire-authion.example.org")
def test_applying_to_a_mission_stores_the_request_and_sends_three_emails(
    client, mission, communes, django_capture_on_commit_callbacks
):
    page = client.get(mission.url)
    assert page.status_code == 200
    assert "Je veux aider" in page.text
    assert "conservée 1 an après" in page.text  # the register's retention

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mission.url, apply_data(commune=communes["andard"].pk))

    assert response.status_code == 303
    assert response["Location"] == mission.url + "merci/"
    request = VolunteerRequest.objects.get()
    assert request.mission_id == mission.pk
    assert request.association_id == mission.association_id
    assert request.structure == "association"
    assert request.status == VolunteerRequest.Status.NEW
    assert request.commune == communes["andard"]
    recipients = sorted(email.to[0] for email in mail.outbox)
    assert recipients == [
        "comite@fetes-andard.example.org",
        "jeanne@example.org",
        "participation@loire-authion.example.org",
    ]
    confirmation = next(email for email in mail.outbox if email.to == ["jeanne@example.org"])
    assert "Tenir la buvette" in confirmation.subject
    assert "10 jours" in confirmation.body
    assert confirmation.reply_to == ["comite@fetes-andard.example.org"]
    notice = next(e for e in mail.outbox if e.to == ["comite@fetes-andard.example.org"])
    assert "Jeanne Dupuis" in notice.subject
    assert f"/admin/benevolat_requests/edit/{request.pk}/" in notice.body
    assert notice.reply_to == ["jeanne@example.org"]

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Comité des fêtes d&#x27;Andard vous contactera" in thanks.text
    assert "sous 10 jours" in thanks.text


def test_general_offer_of_help_goes_to_the_team(
    client, listing, django_capture_on_commit_callbacks
):
    offer_url = listing.url + "proposer-mon-aide/"
    assert client.get(offer_url).status_code == 200
    missing_interests = client.post(offer_url, apply_data())
    assert missing_interests.status_code == 400
    assert VolunteerRequest.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(offer_url, apply_data(interests="Visiter des aînés"))

    assert response.status_code == 303
    assert response["Location"] == offer_url + "merci/"
    request = VolunteerRequest.objects.get()
    assert request.mission is None
    assert request.structure == VolunteerRequest.Structure.GENERAL
    assert sorted(email.to[0] for email in mail.outbox) == [
        "jeanne@example.org",
        "participation@loire-authion.fr",
    ]
    assert "équipe communication" in client.get(response["Location"]).text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": None}, "Pour envoyer ce formulaire, acceptez l'utilisation de vos données"),
        ({"message": "x" * 2001}, "au plus 2000 caractères"),
        ({"name": ""}, "Champ requis."),
        ({"email": "pas-un-courriel"}, "Saisissez une adresse e-mail valide."),
        ({"phone": "appelez-moi"}, "Saisissez un numéro de téléphone"),
        ({"website": "http://spam.example"}, "semble automatisé"),
    ],
    ids=["missing consent", "oversized text", "no name", "bad email", "bad phone", "honeypot"],
)
def test_invalid_applications_are_refused_in_french_and_nothing_is_saved(
    client, mission, overrides, message
):
    response = client.post(mission.url, apply_data(**overrides))
    assert response.status_code == 400
    assert message.replace("’", "'") in response.text.replace("&#x27;", "'").replace("’", "'")
    assert "Le formulaire contient des erreurs" in response.text
    assert VolunteerRequest.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "make_unavailable",
    [
        lambda mission: setattr(mission, "status", MissionPage.Status.CLOSED),
        lambda mission: setattr(mission, "status", MissionPage.Status.FILLED),
        lambda mission: setattr(mission, "end_date", timezone.localdate().replace(year=2020)),
    ],
    ids=["closed", "filled", "past"],
)
def test_a_closed_or_filled_mission_refuses_applications(client, mission, make_unavailable):
    mission.start_date = datetime.date(2020, 1, 1)
    make_unavailable(mission)
    mission.save_revision().publish()

    page = client.get(mission.url)
    response = client.post(mission.url, apply_data())

    assert "ne prend plus de candidature" in page.text
    assert 'name="consent"' not in page.text
    assert response.status_code == 409
    assert "ne prend plus de candidature" in response.text
    assert VolunteerRequest.objects.count() == 0


def test_places_left_follow_the_accepted_requests(client, mission):
    first, second = bf.VolunteerRequestFactory.create_batch(2, mission=mission)
    assert MissionPage.objects.get(pk=mission.pk).places_left == 2
    first.status = VolunteerRequest.Status.ACCEPTED
    first.save()
    assert "1 place restante" in client.get(mission.url).text
    second.status = VolunteerRequest.Status.ACCEPTED
    second.save()

    response = client.post(mission.url, apply_data())

    assert MissionPage.objects.get(pk=mission.pk).places_left == 0
    assert response.status_code == 409
    assert "a trouvé tous les bénévoles" in response.text
    listing_card = client.get(mission.get_parent().url).text
    assert "Pourvue" in listing_card


def test_a_third_volunteer_cannot_be_accepted_on_a_full_mission(mission):
    from django.core.exceptions import ValidationError

    mission.volunteers_needed = 1
    mission.save_revision().publish()
    bf.VolunteerRequestFactory(mission=mission, status=VolunteerRequest.Status.ACCEPTED)
    late = bf.VolunteerRequestFactory(mission=mission)
    late.status = VolunteerRequest.Status.ACCEPTED
    with pytest.raises(ValidationError) as error:
        late.full_clean()
    assert "plus de place" in str(error.value)


@override_settings(PUBLIC_FORM_RATE_LIMIT=(2, 3600))
def test_rate_limit_per_address_answers_429(client, mission):
    for number in range(2):
        assert (
            client.post(mission.url, apply_data(email=f"j{number}@example.org")).status_code == 303
        )
    response = client.post(mission.url, apply_data(email="j3@example.org"))
    assert response.status_code == 429
    assert "Vous avez envoyé beaucoup de formulaires" in response.text
    assert 'name="name"' in response.text  # the form is still there
    assert VolunteerRequest.objects.count() == 2
    # Another address is not held back.
    other = client.post(mission.url, apply_data(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 303


def test_emails_are_retried_after_a_mail_server_outage_without_losing_the_request(
    client, mission, settings, django_capture_on_commit_callbacks
):
    # The mail server is down (a real SMTP backend on a closed port) and the emails
    # go through the real database task queue: nothing is sent in the request.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    settings.EMAIL_TIMEOUT = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mission.url, apply_data())

    assert response.status_code == 303
    assert VolunteerRequest.objects.count() == 1
    assert OutgoingEmail.objects.filter(status="pending").count() == 3
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(task_path__endswith="send_outgoing_email")
    assert queued.count() == 3  # waiting for the worker

    # The cron's command tries while the server is still down: nothing is lost.
    call_command("send_pending_emails", stdout=io.StringIO())
    emails = list(OutgoingEmail.objects.all())
    assert {email.status for email in emails} == {"pending"}
    assert all(email.attempts == 1 and "Error" in email.last_error for email in emails)
    assert mail.outbox == []

    # The server is back: the next run sends everything, and only once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_pending_emails", stdout=out)
    call_command("send_pending_emails", stdout=out)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(email.to[0] for email in mail.outbox) == [
        "comite@fetes-andard.example.org",
        "jeanne@example.org",
        "participation@loire-authion.fr",
    ]
    assert VolunteerRequest.objects.get().name == "Jeanne Dupuis"


def test_applying_on_the_english_page_reaches_the_original_mission(
    client, mission, english, django_capture_on_commit_callbacks
):
    from tests.factories import translate

    english_mission = translate(mission)
    assert english_mission.url.startswith("/en/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(english_mission.url, apply_data())
    assert response.status_code == 303
    request = VolunteerRequest.objects.get()
    assert request.mission_id == mission.pk  # processed by the association
    assert request.association_id == mission.association_id
    request.status = VolunteerRequest.Status.ACCEPTED
    request.save()
    english_listing = MissionPage.objects.with_accepted_count().get(pk=english_mission.pk)
    assert english_listing.places_left == 1


# Personal data -------------------------------------------------------------------


def test_purge_removes_old_requests_and_anonymises_old_hours(mission):
    now = timezone.now()
    old = bf.VolunteerRequestFactory(mission=mission, name="Ancienne demande")
    recent = bf.VolunteerRequestFactory(mission=mission, name="Demande récente")
    VolunteerRequest.objects.filter(pk=old.pk).update(updated_at=now - datetime.timedelta(days=400))
    old_hours = bf.VolunteerHoursFactory(
        mission=mission, volunteer_name="Paul Martin", date=datetime.date(2020, 6, 1)
    )
    new_hours = bf.VolunteerHoursFactory(mission=mission, volunteer_name="Léa Petit")

    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)

    assert list(VolunteerRequest.objects.all()) == [recent]
    old_hours.refresh_from_db()
    new_hours.refresh_from_db()
    assert old_hours.volunteer_name == "" and old_hours.hours  # hours kept, anonymous
    assert new_hours.volunteer_name == "Léa Petit"
    assert "benevolat.VolunteerRequest: 1 removed" in out.getvalue()
    assert "benevolat.VolunteerHours: 1 removed" in out.getvalue()
