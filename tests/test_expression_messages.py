"""Citizen expression, as the commune's users meet it: a citizen sends an idea, a
question, a coup de cœur, a coup de gueule or a report; the participation team
processes and answers it in the admin; some answers are published, without any
personal data, in the questions and answers and on the action's page."""

from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from wagtail.models import GroupPagePermission, Page, Site

import pytest
from django_tasks_db.management.commands import db_worker
from PIL import ExifTags, Image

from expression.models import AnswerTemplate, Submission, action_section
from expression.photos import MAX_UPLOAD_SIZE
from home.models import Commune, CommuneSettings
from notifications.models import OutgoingEmail
from tests import factories
from tests.factories import expression as expression_factories
from tests.factories.actions import ActionPageFactory, action_plan

pytestmark = pytest.mark.django_db

AGENTS = "Participation citoyenne — agents"


# What the tests share ------------------------------------------------------------


@pytest.fixture
def expression_page(home):
    return expression_factories.expression_page(home)


@pytest.fixture
def qa_page(home):
    return expression_factories.questions_answers_page(home)


@pytest.fixture
def andard(db):
    return Commune.objects.get(slug="andard")


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


def action_page(home, number):
    return ActionPageFactory(parent=action_plan(home), number=number, title=f"Action {number}")


def outbox_to(address):
    return [email for email in mail.outbox if address in email.to]


# A citizen sends a message ---------------------------------------------------------


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


def test_html_and_scripts_typed_by_a_citizen_are_shown_as_text(client, qa_page):
    expression_factories.PublishedSubmissionFactory(
        public_title="<script>alert('titre')</script>",
        public_question='<img src=x onerror="alert(1)">',
        answer="<b>Réponse</b>",
    )
    html = client.get(qa_page.url).text
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;Réponse&lt;/b&gt;" in html


# The participation team processes and answers ---------------------------------------


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
    assert idea["cells"] == [3, 0, 0, 1]
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


# The questions and answers ----------------------------------------------------------


def test_the_questions_and_answers_filter_by_kind_commune_action_and_words(client, home, qa_page):
    corne = Commune.objects.get(slug="corne")
    andard = Commune.objects.get(slug="andard")
    action = action_page(home, number=8)
    expression_factories.PublishedSubmissionFactory(
        kind="idea", public_title="Bacs potagers partagés", commune=corne, action=action
    )
    expression_factories.PublishedSubmissionFactory(
        kind="question", public_title="Horaires de la déchèterie", commune=andard
    )
    expression_factories.SubmissionFactory(subject="Non publié")

    def titles(**params):
        response = client.get(qa_page.url, params)
        assert response.status_code == 200
        return [question.public_title for question in response.context["questions"]]

    assert sorted(titles()) == ["Bacs potagers partagés", "Horaires de la déchèterie"]
    assert titles(type="idea") == ["Bacs potagers partagés"]
    assert titles(commune=andard.pk) == ["Horaires de la déchèterie"]
    assert titles(action=action.pk) == ["Bacs potagers partagés"]
    assert titles(q="HORAIRES de la déchèterie") == ["Horaires de la déchèterie"]
    assert client.get(qa_page.url, {"q": "x" * 5000}).status_code == 200
    assert client.get(qa_page.url, {"type": "<script>", "page": "-1"}).status_code == 200
    assert "2 questions ont reçu une réponse" in client.get(qa_page.url).text


def test_the_questions_and_answers_are_paginated_with_a_steady_number_of_queries(
    client, home, qa_page, django_assert_max_num_queries, rendered_each_time
):
    action = action_page(home, number=5)
    expression_factories.PublishedSubmissionFactory.create_batch(2, action=action)
    client.get(qa_page.url)  # the site's caches (root paths, settings) warm up
    with django_assert_max_num_queries(40) as small:
        client.get(qa_page.url)
    small_count = len(small.captured_queries)
    expression_factories.PublishedSubmissionFactory.create_batch(25, action=action)
    client.get(qa_page.url)  # publishing emptied the caches
    with django_assert_max_num_queries(small_count) as large:
        response = client.get(qa_page.url)
    assert len(response.context["questions"]) == 10
    assert "Page 1 sur 3" in response.text
    assert len(large.captured_queries) <= small_count
    assert client.get(qa_page.url, {"page": "3"}).status_code == 200


def test_an_action_page_shows_its_published_questions_in_both_languages(home, english):
    action = action_page(home, number=8)
    other = action_page(home, number=9)
    expression_page = expression_factories.expression_page(home)
    expression_factories.PublishedSubmissionFactory(
        public_title="Bacs potagers partagés", action=action
    )
    expression_factories.PublishedSubmissionFactory(public_title="Autre action", action=other)
    expression_factories.SubmissionFactory(subject="Pas encore répondu", action=action)
    request = RequestFactory().get("/")

    html = action_questions_html(action, request)
    assert "Bacs potagers partagés" in html
    assert "Autre action" not in html
    assert "Pas encore répondu" not in html
    assert f"{expression_page.url}?action={action.pk}" in html

    alias = factories.translate(action)
    english_html = action_questions_html(alias, request)
    assert "Bacs potagers partagés" in english_html

    # The action page lists it among the sections other apps register (none of its
    # events or missions here), and shows it even before any question is published.
    section = action_section(action)
    assert [listed["template"] for listed in action.linked_content()] == [section["template"]]
    empty = action_questions_html(action_page(home, number=12), request)
    assert "Aucune question ni idée sur cette action n'a encore été publiée." in empty


def action_questions_html(action, request):
    """The questions section of an action page, as its page renders it."""
    section = action_section(action)
    return render_to_string(
        section["template"], {"items": section["items"], "action": action, "request": request}
    )


def test_the_home_page_shows_the_latest_answers(client, home, qa_page):
    expression_factories.PublishedSubmissionFactory(public_title="Réouverture de la piscine")
    html = client.get("/").text
    assert "Réouverture de la piscine" in html
    assert "Toutes les questions et réponses" in html


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
