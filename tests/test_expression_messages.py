"""A citizen sends a message to the commune: an idea, a question, a coup de cœur, a
coup de gueule or a report, with a photo for a report. It is acknowledged and the team
is told, even through a mail server outage; bad input is refused in French; what the
citizen gave is kept no longer than the form says."""

from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from wagtail.models import Site

import pytest
from django_tasks_db.management.commands import db_worker
from PIL import ExifTags, Image

from expression.models import Submission
from expression.photos import MAX_UPLOAD_SIZE
from home.models import CommuneSettings
from notifications.models import OutgoingEmail
from tests import factories
from tests.factories import expression as expression_factories
from tests.factories.actions import action_page
from tests.factories.expression import jpeg_with_location, message_data, outbox_to

pytestmark = pytest.mark.django_db


def private_files():
    folder = Path(settings.MEDIA_ROOT) / "private" / "expression"
    return set(folder.iterdir()) if folder.exists() else set()


def png_of(width, height):
    output = BytesIO()
    Image.new("1", (width, height)).save(output, "PNG")
    return output.getvalue()


@pytest.fixture(scope="module")
def decompression_bomb():
    # 200 million pixels in 24 kB: more than twice Pillow's MAX_IMAGE_PIXELS.
    return png_of(20_000, 10_000)


@pytest.fixture(scope="module")
def too_many_pixels():
    # 49 million pixels: under Pillow's own limit, over the site's.
    return png_of(7_000, 7_000)


@pytest.mark.parametrize("kind", [kind for kind, _label in Submission.Kind.choices])
def test_each_kind_of_message_is_received_acknowledged_and_notified(
    client, expression_page, andard, kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            expression_page.url, message_data(andard, kind=kind, subject=f"Mon message {kind}")
        )

    assert response.status_code == 303
    assert response["Location"] == "/boite-a-idees/confirmation/"
    submission = Submission.objects.get()
    assert (submission.kind, submission.subject, submission.commune) == (
        kind,
        f"Mon message {kind}",
        andard,
    )
    assert submission.status == Submission.Status.RECEIVED
    acknowledgement = outbox_to("camille.martin@example.org")
    assert len(acknowledgement) == 1
    assert submission.reference in acknowledgement[0].subject
    assert "sous 15 jours" in acknowledgement[0].body
    notice = outbox_to(settings.STAFF_NOTIFICATION_EMAIL)
    assert len(notice) == 1
    assert notice[0].reply_to == ["camille.martin@example.org"]
    assert f"/admin/expression/messages/edit/{submission.pk}/" in notice[0].body


def test_the_confirmation_says_what_happens_next_and_when(client, expression_page, andard):
    client.post(expression_page.url, message_data(andard))
    submission = Submission.objects.get()

    response = client.get("/boite-a-idees/confirmation/")

    assert response.status_code == 200
    html = response.text
    assert "Merci, votre message a bien été envoyé" in html
    assert submission.reference in html
    assert "Ce qui va se passer" in html
    assert "camille.martin@example.org" in html
    assert "par courriel sous 15 jours" in html


def test_an_anonymous_message_keeps_no_name_nor_email(
    client, expression_page, andard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(expression_page.url, message_data(andard, reply="anonymous"))

    submission = Submission.objects.get()
    assert (submission.name, submission.email) == ("", "")
    assert [email.to for email in mail.outbox] == [[settings.STAFF_NOTIFICATION_EMAIL]]
    assert "Anonyme" in mail.outbox[0].body
    html = client.get("/boite-a-idees/confirmation/").text
    assert "Vous avez choisi de rester anonyme" in html


def test_a_link_from_an_action_page_preselects_the_action(client, home, expression_page):
    action = action_page(home, number=5)
    html = client.get(f"{expression_page.url}?action={action.pk}&type=idea").text
    assert f'<option value="{action.pk}" selected>' in html
    assert 'value="idea" required id="id_kind_0" checked' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", None),
        ({"subject": "x" * 151}, "subject", "au plus 150 caractères"),
        ({"message": "x" * 3001}, "message", "au plus 3000 caractères"),
        ({"message": ""}, "message", None),
        ({"kind": "spam"}, "kind", "Sélectionnez un choix valide"),
        ({"commune": "999999"}, "commune", "Sélectionnez un choix valide"),
        ({"email": ""}, "email", "Indiquez votre adresse électronique"),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse e-mail valide"),
        ({"website": "http://spam.example"}, "website", "semble automatisé"),
    ],
    ids=[
        "no-consent",
        "subject-too-long",
        "message-too-long",
        "empty-message",
        "unknown-kind",
        "unknown-commune",
        "no-email-for-a-reply",
        "bad-email",
        "honeypot",
    ],
)
def test_invalid_input_is_refused_in_french_and_nothing_is_saved(
    client, expression_page, andard, overrides, field, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(expression_page.url, message_data(andard, **overrides))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    for error in errors[field]:
        assert escape(error) in response.text
    if message:  # the site's own messages, in French
        assert escape(message) in response.text
    assert "Le formulaire contient des erreurs" in response.text
    assert Submission.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda bomb, big: SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image at all"),
            "n&#x27;est pas une photo dans un format accepté",
        ),
        (
            lambda bomb, big: SimpleUploadedFile("photo.jpg", b"\xff" * (MAX_UPLOAD_SIZE + 1)),
            "La photo est trop lourde",
        ),
        (
            lambda bomb, big: SimpleUploadedFile("bombe.png", bomb, content_type="image/png"),
            "La photo a trop de pixels",
        ),
        (
            lambda bomb, big: SimpleUploadedFile("grande.png", big, content_type="image/png"),
            "La photo a trop de pixels",
        ),
    ],
    ids=["not-an-image", "too-heavy", "decompression-bomb", "too-many-pixels"],
)
def test_a_bad_photo_is_refused_with_a_clear_message(
    client, expression_page, andard, upload, message, decompression_bomb, too_many_pixels
):
    files_before = private_files()
    response = client.post(
        expression_page.url,
        message_data(andard, kind="report", photo=upload(decompression_bomb, too_many_pixels)),
    )

    assert response.status_code == 400
    assert message in response.text
    assert Submission.objects.count() == 0
    assert private_files() == files_before


def test_a_huge_upload_is_refused_without_being_processed(client, expression_page, andard):
    response = client.post(
        expression_page.url,
        message_data(andard, kind="report"),
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "Votre message est trop volumineux pour être envoyé" in response.text
    assert Submission.objects.count() == 0


def test_a_photo_is_only_for_a_report(client, expression_page, andard):
    response = client.post(
        expression_page.url, message_data(andard, kind="idea", photo=jpeg_with_location())
    )
    assert response.status_code == 400
    assert "Une photo ne peut être jointe qu&#x27;à un signalement" in response.text
    assert Submission.objects.count() == 0


def test_the_photo_of_a_report_is_kept_without_its_location_nor_its_camera(
    client, expression_page, andard
):
    response = client.post(
        expression_page.url,
        message_data(
            andard,
            kind="report",
            subject="Lampadaire en panne",
            photo=jpeg_with_location(size=(4000, 3000)),
        ),
    )
    assert response.status_code == 303

    submission = Submission.objects.get()
    stored = Path(submission.photo.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "private" / "expression")
    assert "IMG_0042" not in stored.name
    with Image.open(stored) as photo:
        assert photo.format == "JPEG"
        assert max(photo.size) == 2000  # re-encoded, reduced
        assert dict(photo.getexif()) == {}
        assert photo.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "exif" not in photo.info
    assert b"PhoneMaker" not in stored.read_bytes()
    submission.delete()
    assert not stored.exists()


def test_too_many_messages_from_one_address_get_a_429(client, expression_page, andard, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = (2, 3600)
    statuses = [
        client.post(expression_page.url, message_data(andard, subject=f"Idée {n}")).status_code
        for n in range(3)
    ]
    assert statuses == [303, 303, 429]
    response = client.post(expression_page.url, message_data(andard))
    assert response.status_code == 429
    assert "Vous avez envoyé beaucoup de formulaires en peu de temps" in response.text
    assert Submission.objects.count() == 2


# The email queue ---------------------------------------------------------------------


def test_an_email_outage_loses_nothing(
    client, settings, expression_page, andard, django_capture_on_commit_callbacks, monkeypatch
):
    # The test runs in one transaction, which the worker would take for a stale
    # connection between two tasks and close.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(expression_page.url, message_data(andard))
    assert response.status_code == 303
    assert OutgoingEmail.objects.filter(status="pending").count() == 2

    # The worker tries while the mail server is down: the emails wait, with the error.
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    pending = OutgoingEmail.objects.filter(status="pending")
    assert pending.count() == 2
    assert all(email.attempts == 1 and email.last_error for email in pending)

    # The server is back: the cron command sends what was left.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_emails", verbosity=0)
    assert OutgoingEmail.objects.filter(status="sent").count() == 2
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        ["camille.martin@example.org", settings.STAFF_NOTIFICATION_EMAIL]
    )


# Personal data ----------------------------------------------------------------------


def test_the_purge_erases_personal_data_after_a_year_and_old_messages_after_three(
    client, expression_page, andard
):
    client.post(
        expression_page.url, message_data(andard, kind="report", photo=jpeg_with_location())
    )
    with_photo = Submission.objects.get()
    photo = Path(with_photo.photo.path)
    now = timezone.now()
    Submission.objects.filter(pk=with_photo.pk).update(created_at=now - timedelta(days=400))
    recent = expression_factories.SubmissionFactory(created_at=now - timedelta(days=300))
    old_unpublished = expression_factories.SubmissionFactory(
        created_at=now - timedelta(days=4 * 365)
    )
    old_published = expression_factories.PublishedSubmissionFactory(
        created_at=now - timedelta(days=4 * 365), internal_notes="Note interne"
    )

    call_command("purge_personal_data", stdout=StringIO())

    with_photo.refresh_from_db()
    assert (with_photo.name, with_photo.email, with_photo.photo.name) == ("", "", "")
    assert not photo.exists()
    recent.refresh_from_db()
    assert recent.email == "camille.martin@example.org"
    assert not Submission.objects.filter(pk=old_unpublished.pk).exists()
    old_published.refresh_from_db()
    assert (old_published.name, old_published.email, old_published.message) == ("", "", "")
    assert old_published.internal_notes == ""
    assert old_published.public_question and old_published.answer  # still published
    assert Submission.purge_personal_data(now) == 0  # nothing left to purge


def test_the_form_says_what_is_kept_and_links_the_personal_data_page(client, home, expression_page):
    commune_settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    commune_settings.privacy_page = factories.StandardPageFactory(
        parent=home, title="Données personnelles", slug="donnees-personnelles"
    )
    commune_settings.save()
    html = client.get(expression_page.url).text
    assert "effacés un an après l&#x27;envoi" in html
    assert 'href="/donnees-personnelles/"' in html
