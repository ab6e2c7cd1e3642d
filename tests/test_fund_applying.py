"""A resident applies to the fonds d'initiative citoyenne without an account, gets a
reference and a private link, follows the application and answers the team's
request for more information through that link. Bad input is refused in French and
nothing is stored."""

from datetime import timedelta
from io import BytesIO
from urllib.parse import urlparse

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from PIL import Image

from fonds.models import Application
from notifications.models import OutgoingEmail
from tests import factories
from tests.factories import benevolat as bf
from tests.factories import fonds as ff
from tests.factories.expression import jpeg_with_location

pytestmark = pytest.mark.django_db

FUND_TEAM = "Fonds d'initiative citoyenne — comité"


@pytest.fixture
def fund(home):
    return ff.fund_page(home)


@pytest.fixture
def team_client(db):
    user = factories.UserFactory(username="agent.fonds", groups=[FUND_TEAM])
    client = Client()
    client.force_login(user)
    return client


def tracking_link(email_body):
    line = next(line for line in email_body.splitlines() if "/suivi/" in line)
    return urlparse(line.strip()).path


def test_a_resident_applies_and_follows_the_application_through_a_private_link(
    client, fund, andard, django_capture_on_commit_callbacks
):
    page = client.get(fund.url)
    assert page.status_code == 200
    assert "Qui peut déposer une demande" in page.text
    assert "jusqu'à 500 € par projet" in page.text
    assert "effacés deux ans après l'envoi" in page.text  # what is kept, and how long

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(fund.url, ff.application_data(andard))

    assert response.status_code == 303
    application = Application.objects.get()
    assert application.status == Application.Status.RECEIVED
    assert application.fund_page_id == fund.pk
    confirmation = client.get(response["Location"])
    assert application.reference in confirmation.text
    assert "martine.dupuis@example.org" in confirmation.text
    assert confirmation["Cache-Control"] == "private, no-store"

    [receipt] = [email for email in mail.outbox if email.to == ["martine.dupuis@example.org"]]
    assert application.reference in receipt.subject
    link = tracking_link(receipt.body)
    assert link in confirmation.text
    [notice] = [email for email in mail.outbox if email.to == ["participation@loire-authion.fr"]]
    assert "Des graines pour les pieds de murs" in notice.body

    tracking = Client().get(link)  # another browser: the link alone opens it
    assert tracking.status_code == 200
    assert "Votre demande " + application.reference in tracking.text
    assert "reçue" in tracking.text
    assert tracking["Cache-Control"] == "private, no-store"
    assert "noindex" in tracking["X-Robots-Tag"]


@pytest.mark.parametrize(
    "token",
    ["1", "1-abc", "999999-x", "x-1", "a" * 300],
    ids=["bare id", "bad signature", "unknown", "not an id", "long"],
)
def test_a_tracking_link_that_was_not_sent_opens_nothing(client, fund, token):
    ff.ApplicationFactory(fund_page=fund)
    assert client.get(fund.url + f"suivi/{token}/").status_code == 404


def test_another_applications_signature_does_not_open_it(client, fund):
    first = ff.ApplicationFactory(fund_page=fund)
    second = ff.ApplicationFactory(fund_page=fund)
    forged = f"{second.pk}-{first.tracking_token.split('-', 1)[1]}"
    assert client.get(fund.url + f"suivi/{forged}/").status_code == 404
    assert client.get(fund.url + f"suivi/{second.tracking_token}/").status_code == 200


def test_more_information_is_requested_by_email_and_answered_through_the_link(
    client, fund, team_client, django_capture_on_commit_callbacks
):
    application = ff.ApplicationFactory(fund_page=fund)
    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            reverse("fund_application:edit", args=[application.pk]),
            admin_form_data(
                application,
                status="in_review",
                info_request="Combien de voisins participent ? Avez-vous l'accord du propriétaire ?",
                send_info_request="on",
            ),
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.INFO_REQUESTED
    [request_email] = mail.outbox
    assert request_email.to == ["martine.dupuis@example.org"]
    assert "Combien de voisins participent" in request_email.body
    link = tracking_link(request_email.body)
    mail.outbox.clear()

    page = client.get(link)
    assert "Combien de voisins participent" in page.text
    assert "Votre réponse" in page.text
    empty = client.post(link, {"answer": "", "website": ""})
    assert empty.status_code == 400
    assert "Le formulaire contient des erreurs" in empty.text
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(
            link, {"answer": "Douze voisins, et la mairie est propriétaire.", "website": ""}
        )
    assert answered.status_code == 303
    after = client.get(answered["Location"])
    assert "votre réponse a bien été transmise" in after.text
    assert "Douze voisins" in after.text
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    assert application.info_answer == "Douze voisins, et la mairie est propriétaire."
    [notice] = mail.outbox
    assert notice.to == ["participation@loire-authion.fr"]
    # Nothing more is awaited: a second answer is refused and changes nothing.
    again = client.post(link, {"answer": "Encore", "website": ""})
    assert again.status_code == 409
    application.refresh_from_db()
    assert application.info_answer.startswith("Douze voisins")


def admin_form_data(application, **overrides):
    data = {
        "commune": application.commune_id,
        "status": application.status,
        "service": "Vie associative",
        "internal_notes": "",
        "info_request": "",
        "committee_date": "",
        "granted_amount": "",
        "granted_materials": "",
        "granted_skills": "",
        "refusal_reason": "",
        "public_title": "",
        "public_summary": "",
        "public_account": "",
        "public_image": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def png(size=(40, 30)):
    output = BytesIO()
    Image.new("RGB", size, "green").save(output, format="PNG")
    return output.getvalue()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", "acceptez l'utilisation"),
        ({"website": "http://spam.example"}, "website", "automatisé"),
        ({"title": ""}, "title", "Champ requis"),
        ({"title": "x" * 151}, "title", "150 caractères"),
        ({"summary": "x" * 3001}, "summary", "3000 caractères"),
        ({"amount_requested": "501"}, "amount_requested", "500 € au plus"),
        ({"amount_requested": "-5"}, "amount_requested", "supérieure ou égale à 0"),
        ({"amount_requested": "1e400"}, "amount_requested", ""),
        (
            {"amount_requested": "", "materials_requested": "", "skills_requested": ""},
            "amount_requested",
            "quelle aide",
        ),
        (
            {"carrier": "association", "association": ""},
            "association",
            "Choisissez votre association",
        ),
        ({"carrier": "association", "association": "99999999999999999999"}, "association", ""),
        ({"carrier": "mairie"}, "carrier", ""),
        ({"commune": "0"}, "commune", ""),
        ({"planned_date": "2001-01-01"}, "planned_date", "déjà passée"),
        ({"planned_date": "31/02/2027"}, "planned_date", ""),
        ({"email": "pas-une-adresse"}, "email", "adresse e-mail valide"),
        ({"contact_name": "\x00"}, "contact_name", ""),
    ],
    ids=[
        "no-consent",
        "honeypot",
        "no-title",
        "title-too-long",
        "summary-too-long",
        "over-cap",
        "negative",
        "huge-number",
        "no-help",
        "association-missing",
        "association-overflow",
        "unknown-carrier",
        "unknown-commune",
        "past-date",
        "impossible-date",
        "bad-email",
        "nul-character",
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_stored(
    client, fund, andard, overrides, field, message
):
    response = client.post(fund.url, ff.application_data(andard, **overrides))
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in response.text
    assert field in response.context["form"].errors
    if message:
        assert message in " ".join(response.context["form"].errors[field])
    assert not Application.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_an_association_of_the_directory_applies(client, fund, andard, directory):
    association = bf.AssociationPageFactory(parent=directory, title="Les Amis de Corné")
    association.save_revision().publish()
    page = client.get(fund.url)
    assert "Les Amis de Corné" in page.text
    response = client.post(
        fund.url,
        ff.application_data(
            andard, carrier="association", association=association.pk, collective_name="x"
        ),
    )
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.association_id == association.pk
    assert application.collective_name == ""


def test_a_photo_is_kept_without_its_location_and_a_pdf_as_sent(client, fund, andard):
    response = client.post(
        fund.url, {**ff.application_data(andard), "attachment": jpeg_with_location()}
    )
    assert response.status_code == 303
    stored = Application.objects.get()
    assert stored.attachment.name.startswith("fonds/") and stored.attachment.name.endswith(".jpg")
    assert "IMG_0042" not in stored.attachment.name
    with Image.open(stored.attachment.path) as image:
        assert not image.getexif()
    assert "/media/" not in stored.attachment.path.split("private")[0][-7:]

    pdf = SimpleUploadedFile("budget.pdf", b"%PDF-1.4\n% budget\n", content_type="application/pdf")
    client.post(
        fund.url,
        {**ff.application_data(andard, form_token=""), "attachment": pdf},
    )
    second = Application.objects.exclude(pk=stored.pk).get()
    assert second.attachment.name.endswith(".pdf")
    assert second.attachment.read().startswith(b"%PDF-1.4")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg"),
        SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="text/html"),
        SimpleUploadedFile("image.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml"),
    ],
    ids=["script-as-jpeg", "html", "svg"],
)
def test_a_file_that_is_neither_a_photo_nor_a_pdf_is_refused(client, fund, andard, upload):
    response = client.post(fund.url, {**ff.application_data(andard), "attachment": upload})
    assert response.status_code == 400
    assert "ni un document PDF ni une photo" in response.text
    assert not Application.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, fund, andard, settings):
    big = SimpleUploadedFile("grand.pdf", b"%PDF-" + b"0" * (9 * 1024 * 1024))
    response = client.post(fund.url, {**ff.application_data(andard), "attachment": big})
    assert response.status_code == 413
    assert "8 Mo" in response.text
    assert not Application.objects.exists()


def test_a_closed_call_takes_no_application(client, home, andard):
    fund = ff.fund_page(home, call_closes_on=timezone.localdate() - timedelta(days=1))
    page = client.get(fund.url)
    assert "appel à projets est clos" in page.text
    assert "<form" not in page.text.split("Déposer une demande", 1)[-1]
    response = client.post(fund.url, ff.application_data(andard))
    assert response.status_code == 409
    assert not Application.objects.exists()


def test_a_double_click_stores_one_application(client, fund, andard):
    data = ff.application_data(andard, form_token="3f2c7d1e-8a4b-4c5d-9e6f-0a1b2c3d4e5f")
    assert client.post(fund.url, data).status_code == 303
    assert client.post(fund.url, data).status_code == 303
    assert Application.objects.count() == 1


def test_too_many_applications_from_one_address_are_refused(client, fund, andard, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = (1, 3600)
    assert client.post(fund.url, ff.application_data(andard)).status_code == 303
    response = client.post(fund.url, ff.application_data(andard, form_token=""))
    assert response.status_code == 429
    assert Application.objects.count() == 1
