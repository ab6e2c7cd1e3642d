"""Journey 6: the town hall's staff see a ceremony sign-up in full, confirm or decline
it (the citizen is told by email, once) and count who is coming (issue 13)."""

from django.core import mail
from django.urls import reverse

import pytest

from events.models import CeremonyKind, CeremonyRegistration
from notifications.models import OutgoingEmail
from tests import factories
from tests.factories.events import CeremonyPageFactory, agenda, dates, paris

MODERATORS = "Communication — modérateurs"
PASSWORD = "correct horse battery"


@pytest.fixture
def ceremony(home):
    return CeremonyPageFactory(
        parent=agenda(home),
        title="Accueil des nouveau-nés 2027",
        slug="naissances",
        kind=CeremonyKind.BIRTH,
        occurrences=dates(paris(2027, 6, 19, 11)),
        place_name="Salle du conseil",
        address="1 place de la Mairie",
    )


@pytest.fixture
def sign_up(ceremony):
    registration = CeremonyRegistration.objects.create(
        ceremony=ceremony,
        name="Léa Martin",
        email="lea@example.org",
        phone="06 11 22 33 44",
        child_name="Jules",
        child_birth_date="2026-09-03",
        guests=4,
    )
    # A known moment, in winter time: 10:05 UTC is 11:05 in Loire-Authion.
    CeremonyRegistration.objects.filter(pk=registration.pk).update(
        created_at=paris(2026, 11, 14, 11, 5)
    )
    registration.refresh_from_db()
    return registration


@pytest.fixture
def moderator_client(client, db):
    client.force_login(factories.UserFactory(username="moderateur", groups=[MODERATORS]))
    return client


def edit_url(registration):
    return reverse("ceremony_registrations:edit", args=[registration.pk])


@pytest.mark.django_db
def test_the_edit_screen_shows_everything_the_citizen_sent(moderator_client, sign_up):
    page = moderator_client.get(edit_url(sign_up)).content.decode()
    sent = page.split('<dl class="ceremony-sign-up">')[1].split("</dl>")[0]

    for shown in [
        "Ce que la personne a envoyé",
        "Accueil des nouveau-nés 2027",
        "Léa Martin",
        "lea@example.org",
        "06 11 22 33 44",
        "Jules",
        "3 septembre 2026",
        "Nombre de personnes",
        "14 novembre 2026 à 11\u00a0h\u00a005",
    ]:
        assert shown in page, shown
    # (Wagtail's own markup elsewhere holds "None" in a class name.)
    assert "None" not in sent
    # Fields this form did not ask for have no row.
    assert "Personne ou équipe proposée" not in sent
    assert "<strong>Date de naissance</strong>" not in sent
    # What the staff edit is still there, below.
    assert page.index("ceremony-sign-up") < page.index('name="staff_note"')


@pytest.mark.django_db
def test_the_inspect_screen_shows_the_same_in_french(moderator_client, sign_up):
    sign_up.staff_note = "Invitation envoyée."
    sign_up.save()
    page = moderator_client.get(
        reverse("ceremony_registrations:inspect", args=[sign_up.pk])
    ).content.decode()
    fields = page.split("<dl>")[1].split("</dl>")[0]

    for shown in ["Léa Martin", "Jules", "3 septembre 2026", "reçue", "Invitation envoyée."]:
        assert shown in fields, shown
    assert "None" not in fields
    assert "Personne ou équipe proposée" not in fields


def save(client, registration, status, note=""):
    response = client.post(edit_url(registration), {"status": status, "staff_note": note})
    assert response.status_code == 302
    registration.refresh_from_db()
    return response


@pytest.mark.django_db
def test_confirming_emails_the_citizen_once(
    moderator_client, sign_up, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save(moderator_client, sign_up, "confirmee", "Merci d’arriver dix minutes avant.")

    assert OutgoingEmail.objects.filter(to="lea@example.org").count() == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["lea@example.org"]
    assert "Accueil des nouveau-nés 2027" in email.subject
    assert "confirmée" in email.subject
    assert "samedi 19 juin 2027 à 11\u00a0h" in email.body
    assert "Salle du conseil, 1 place de la Mairie" in email.body
    assert "Pour : 4 personnes" in email.body
    assert "Merci d’arriver dix minutes avant." in email.body
    assert "None" not in email.body

    # Saved again while confirmed (a longer note): the citizen is not written to again.
    with django_capture_on_commit_callbacks(execute=True):
        save(moderator_client, sign_up, "confirmee", "Merci d’arriver dix minutes avant !")
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(to="lea@example.org").count() == 1


@pytest.mark.django_db
def test_declining_emails_the_reason(moderator_client, sign_up, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        save(
            moderator_client,
            sign_up,
            "refusee",
            "La cérémonie est réservée aux enfants nés en 2026.",
        )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["lea@example.org"]
    assert "Accueil des nouveau-nés 2027" in email.subject
    assert "La raison :" in email.body
    assert "réservée aux enfants nés en 2026" in email.body


@pytest.mark.django_db
def test_the_listing_counts_sign_ups_and_people_per_ceremony(moderator_client, sign_up, home):
    ceremony = sign_up.ceremony
    CeremonyRegistration.objects.create(
        ceremony=ceremony, name="Hugo Petit", email="h@example.org", guests=3, status="confirmee"
    )
    CeremonyRegistration.objects.create(
        ceremony=ceremony, name="Inès Roy", email="i@example.org", guests=2, status="confirmee"
    )
    CeremonyRegistration.objects.create(
        ceremony=ceremony, name="Refusé", email="r@example.org", guests=9, status="refusee"
    )
    other = CeremonyPageFactory(parent=agenda(home), title="Citoyenneté 2027")
    CeremonyRegistration.objects.create(ceremony=other, name="Zoé", email="z@example.org", guests=7)

    from events.wagtail_hooks import headcount

    rows = {row["ceremony__title"]: row for row in headcount(CeremonyRegistration.objects.all())}
    births = rows["Accueil des nouveau-nés 2027"]
    counted = ["confirmed", "confirmed_people", "received", "received_people"]
    # The declined sign-up (9 people) counts nowhere.
    assert [births[key] for key in counted] == [2, 5, 1, 4]
    assert (rows["Citoyenneté 2027"]["received"], rows["Citoyenneté 2027"]["received_people"]) == (
        1,
        7,
    )

    listing = moderator_client.get("/admin/inscriptions-ceremonies/").content.decode()
    assert "Effectifs" in listing and "Personnes confirmées" in listing
    assert "Citoyenneté 2027" in listing
    filtered = moderator_client.get(
        "/admin/inscriptions-ceremonies/", {"ceremony": ceremony.pk}
    ).content.decode()
    headcount_html = filtered.split('id="ceremony-headcount"')[1].split("</table>")[0]
    assert "Accueil des nouveau-nés 2027" in headcount_html
    assert "Citoyenneté 2027" not in headcount_html
    cells = [cell.split("</td>")[0] for cell in headcount_html.split("<td>")[1:]]
    assert cells == ["2", "5", "1", "4"]


# In a real browser: tests/test_browser_admin_ceremonies.py (journey 6).
