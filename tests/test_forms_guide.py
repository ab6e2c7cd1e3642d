"""Forms that guide a citizen (issue 14): an error links to its field, a group of
radios to its first choice; the photo of a report survives an error without being
chosen again, and is kept no longer than needed; the thank-you pages repeat what was
sent and what happens next, with the date and place of a ceremony."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils import timezone

import pytest

from expression.models import Submission
from expression.photos import KEPT_PHOTO_FOLDER, private_storage, purge_kept_photos
from tests.factories.events import CeremonyPageFactory, agenda, dates, in_days
from tests.factories.expression import jpeg_with_location, message_data

pytestmark = pytest.mark.django_db


def kept_photos():
    folder = Path(settings.MEDIA_ROOT) / "private" / KEPT_PHOTO_FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def kept_reference(html):
    return html.split('name="kept_photo" value="', 1)[1].split('"', 1)[0]


def test_an_error_of_a_radio_group_links_to_its_first_choice(client, expression_page, andard):
    response = client.post(expression_page.url, message_data(andard, kind=""))

    assert response.status_code == 400
    assert '<a href="#id_kind_0">Que souhaitez-vous envoyer ?</a>' in response.text
    assert 'id="id_kind_0"' in response.text
    # A list (one element) links to itself, not to its first option.
    response = client.post(expression_page.url, message_data(andard, commune=""))
    assert '<a href="#id_commune">Commune déléguée concernée</a>' in response.text
    assert 'id="form-errors"' in response.text and "autofocus" in response.text


def test_the_photo_of_a_report_survives_an_error_and_is_sent_with_the_message(
    client, expression_page, andard, django_capture_on_commit_callbacks
):
    before = kept_photos()
    response = client.post(
        expression_page.url,
        message_data(andard, kind="report", consent="", photo=jpeg_with_location()),
    )

    assert response.status_code == 400
    html = response.text
    assert "Votre photo est conservée : inutile de la choisir à nouveau." in html
    assert '<img src="data:image/jpeg;base64,' in html  # the citizen sees which photo
    assert len(kept_photos()) == len(before) + 1
    reference = kept_reference(html)

    # Sent again with no file chosen: the kept photo goes with the message.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            expression_page.url, message_data(andard, kind="report", kept_photo=reference)
        )

    assert response.status_code == 303
    submission = Submission.objects.get()
    assert submission.photo
    assert b"PhoneMaker" not in submission.photo.read()  # still without its metadata
    assert kept_photos() == before  # the kept copy is gone once sent
    confirmation = client.get("/boite-a-idees/confirmation/").text
    assert "Ce que vous avez envoyé" in confirmation
    assert "jointe (sans sa localisation" in confirmation


def test_a_kept_photo_can_be_removed(client, expression_page, andard):
    html = client.post(
        expression_page.url,
        message_data(andard, kind="report", consent="", photo=jpeg_with_location()),
    ).text

    response = client.post(
        expression_page.url,
        message_data(
            andard, kind="report", kept_photo=kept_reference(html), remove_kept_photo="on"
        ),
    )

    assert response.status_code == 303
    assert not Submission.objects.get().photo


@pytest.mark.parametrize(
    "reference",
    [
        "not-signed",
        signing.dumps("../../settings.py", salt="expression.kept-photo"),
        signing.dumps("0" * 32 + ".jpg", salt="another-salt"),
    ],
    # Signed values carry a timestamp: ids of their own keep every xdist
    # worker's collection the same.
    ids=["not-signed", "path-outside-the-folder", "another-salt"],
)
def test_a_forged_reference_attaches_nothing(client, expression_page, andard, reference):
    response = client.post(
        expression_page.url, message_data(andard, kind="report", kept_photo=reference)
    )

    assert response.status_code == 303
    assert not Submission.objects.get().photo


def test_a_photo_is_refused_with_another_kind_than_a_report(client, expression_page, andard):
    # Without JavaScript the field is visible for every kind, and says "report only".
    response = client.post(
        expression_page.url, message_data(andard, kind="idea", photo=jpeg_with_location())
    )

    assert response.status_code == 400
    assert "Une photo ne peut être jointe qu" in response.text
    assert 'data-shown-when="kind=report"' in response.text
    assert not Submission.objects.exists()


def test_photos_kept_for_forms_never_sent_are_purged_after_a_day(client, expression_page, andard):
    client.post(
        expression_page.url,
        message_data(andard, kind="report", consent="", photo=jpeg_with_location()),
    )
    assert kept_photos()

    assert purge_kept_photos(timezone.now()) == 0  # still within its day
    assert purge_kept_photos(timezone.now() + timedelta(days=1, minutes=1)) >= 1
    assert kept_photos() == []
    assert not private_storage().listdir(KEPT_PHOTO_FOLDER)[1]


def test_the_volunteering_thanks_repeat_what_was_sent(client, mission):
    response = client.post(
        mission.url,
        {
            "name": "Jeanne Dupuis",
            "email": "jeanne@example.org",
            "phone": "06 12 34 56 78",
            "availability": "Le samedi matin",
            "message": "Je peux venir avec ma fille.",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 303

    html = client.get(response["Location"]).text
    assert "Ce que vous avez envoyé" in html
    for sent in ["Jeanne Dupuis", "jeanne@example.org", "Le samedi matin", "avec ma fille"]:
        assert sent in html
    assert mission.title in html


def test_the_thanks_of_another_visitor_show_nothing_sent(client, mission):
    html = client.get(mission.url + "merci/").text
    assert "Ce que vous avez envoyé" not in html


def test_the_ceremony_thanks_give_its_date_place_and_what_was_sent(client, home):
    ceremony = CeremonyPageFactory(
        parent=agenda(home),
        title="Cérémonie de citoyenneté",
        place_name="Salle du conseil",
        occurrences=dates(in_days(30, 11)),
    )
    response = client.post(
        ceremony.url,
        {
            "name": "Léa Martin",
            "email": "lea@example.org",
            "phone": "06 00 00 00 00",
            "birth_date": "2008-04-02",
            "guests": "3",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 303

    html = client.get(response["Location"]).text
    when_where = html.split("Date et lieu", 1)[1].split("</dl>", 1)[0]
    assert "Salle du conseil" in when_where
    assert "Andard" in when_where
    assert '<time datetime="' in when_where
    assert "Léa Martin" in html.split("Ce que vous avez envoyé", 1)[1]
