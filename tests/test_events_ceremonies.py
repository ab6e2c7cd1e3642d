"""Citizen ceremonies (plan action 31): a family registers a birth, a young adult signs
up for the citizenship ceremony, anyone nominates a volunteer; the town hall's staff
process what they send in the admin."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from events.models import CeremonyKind, CeremonyRegistration, EventStatus
from notifications.models import OutgoingEmail
from tests import factories
from tests.factories.events import CeremonyPageFactory, agenda, dates, paris

pytestmark = pytest.mark.django_db


def in_days(days, hour=11):
    day = timezone.localdate() + timedelta(days=days)
    return paris(day.year, day.month, day.day, hour)


@pytest.fixture
def citizenship(home):
    return CeremonyPageFactory(
        parent=agenda(home),
        title="Cérémonie de citoyenneté 2027",
        slug="citoyennete",
        kind=CeremonyKind.CITIZENSHIP,
        occurrences=dates(in_days(30)),
        venue_partner="Château de Pignerolle",
        partners="Conseil départemental\nAssociation des jeunes",
        programme="<p>Remise des cartes d’électeur.</p>",
    )


def valid_citizenship_data(**overrides):
    return {
        "name": "Léa Martin",
        "email": "lea@example.org",
        "phone": "06 00 00 00 00",
        "birth_date": "2008-04-02",
        "guests": "3",
        "consent": "on",
        "website": "",
        **overrides,
    }


def test_a_young_adult_signs_up_and_both_emails_are_queued(
    client, citizenship, django_capture_on_commit_callbacks
):
    page = client.get(citizenship.url)
    assert page.status_code == 200
    assert "S’inscrire à la cérémonie de citoyenneté" in page.text
    assert "Château de Pignerolle" in page.text
    assert "Conseil départemental" in page.text
    assert "Date de naissance" in page.text
    assert "Prénom de l’enfant" not in page.text  # not a birth ceremony
    assert "pendant 1 an" in page.text  # the register's retention

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(citizenship.url, valid_citizenship_data())

    assert response.status_code == 303
    assert response["Location"] == citizenship.url + "merci/"
    registration = CeremonyRegistration.objects.get()
    assert (registration.name, registration.guests) == ("Léa Martin", 3)
    assert registration.status == CeremonyRegistration.Status.RECEIVED
    assert str(registration.birth_date) == "2008-04-02"
    emails = {email.to: email for email in OutgoingEmail.objects.all()}
    assert set(emails) == {"lea@example.org", "participation@loire-authion.fr"}
    assert "Cérémonie de citoyenneté 2027" in emails["lea@example.org"].subject
    assert emails["participation@loire-authion.fr"].reply_to == "lea@example.org"
    assert "/admin/inscriptions-ceremonies/edit/" in emails["participation@loire-authion.fr"].body
    # The task queue (immediate in tests) has sent them.
    assert len(mail.outbox) == 2
    thanks = client.get(response["Location"])
    assert "Merci, votre message a bien été reçu" in thanks.text


def test_the_confirmation_is_signed_with_the_commune_name_of_the_settings(client, citizenship):
    from wagtail.models import Site

    from home.models import CommuneSettings

    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    settings.commune_name = "Saint-Test"
    settings.save()
    client.post(citizenship.url, valid_citizenship_data())
    body = OutgoingEmail.objects.get(to="lea@example.org").body
    assert "La mairie de Saint-Test a bien reçu votre message" in body
    assert body.rstrip().endswith("La mairie de Saint-Test")


def test_a_family_registers_a_birth(client, home):
    ceremony = CeremonyPageFactory(
        parent=agenda(home), kind=CeremonyKind.BIRTH, occurrences=dates(in_days(20))
    )
    html = client.get(ceremony.url).text
    assert "Inscrire une naissance" in html

    missing = client.post(ceremony.url, valid_citizenship_data(birth_date=""))
    assert missing.status_code == 400
    assert "Prénom de l’enfant" in missing.text

    response = client.post(
        ceremony.url,
        valid_citizenship_data(child_name="Jules", child_birth_date="2026-09-14"),
    )
    assert response.status_code == 303
    assert CeremonyRegistration.objects.get().child_name == "Jules"


def test_anyone_nominates_a_volunteer(client, home):
    ceremony = CeremonyPageFactory(
        parent=agenda(home), kind=CeremonyKind.VOLUNTEERS, occurrences=dates(in_days(15))
    )
    assert "Proposer un ou une bénévole" in client.get(ceremony.url).text
    response = client.post(
        ceremony.url,
        {
            "name": "Paul Durand",
            "email": "paul@example.org",
            "nominee_name": "Josette, trésorière du club de foot",
            "reason": "Vingt ans de bénévolat au club.",
            "consent": "on",
        },
    )
    assert response.status_code == 303
    assert CeremonyRegistration.objects.get().nominee_name.startswith("Josette")


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"consent": ""}, "acceptez l&#x27;utilisation de vos données"),
        ({"name": "x" * 151}, "au plus 150 caractères"),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide"),
        ({"guests": "500"}, "inférieure ou égale à 20"),
        ({"birth_date": "2999-01-01"}, "Saisissez une date de naissance valide."),
        ({"website": "http://spam.example"}, "automatisé"),
    ],
    ids=["no-consent", "oversized", "bad-email", "too-many-guests", "future-birth", "honeypot"],
)
def test_invalid_sign_ups_are_refused_with_a_french_message(
    client, citizenship, overrides, message
):
    response = client.post(citizenship.url, valid_citizenship_data(**overrides))
    assert response.status_code == 400
    assert message in response.text
    assert "Le formulaire contient des erreurs" in response.text
    assert CeremonyRegistration.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_a_huge_post_is_refused_without_error(client, citizenship):
    response = client.post(citizenship.url, valid_citizenship_data(reason="x" * 200_000))
    # "reason" is not asked for this ceremony: it is ignored, the rest is saved.
    assert response.status_code == 303
    assert CeremonyRegistration.objects.get().reason == ""


def test_past_closed_or_cancelled_ceremonies_refuse_sign_ups(client, home):
    index = agenda(home)
    past = CeremonyPageFactory(parent=index, occurrences=dates(in_days(-3)))
    closed = CeremonyPageFactory(
        parent=index, occurrences=dates(in_days(9)), registration_open=False
    )
    late = CeremonyPageFactory(
        parent=index,
        occurrences=dates(in_days(9)),
        registration_closes=timezone.localdate() - timedelta(days=1),
    )
    cancelled = CeremonyPageFactory(
        parent=index,
        occurrences=dates(in_days(9)),
        status=EventStatus.CANCELLED,
        status_note="Salle indisponible.",
    )
    cases = [
        (past, "Cette cérémonie a eu lieu : les inscriptions sont closes."),
        (closed, "Les inscriptions à cette cérémonie sont closes."),
        (late, "La période d’inscription à cette cérémonie est terminée."),
        (cancelled, "Cette cérémonie est annulée : les inscriptions sont closes."),
    ]
    for ceremony, message in cases:
        page = client.get(ceremony.url)
        assert page.status_code == 200
        assert message in page.text
        assert 'name="consent"' not in page.text
        response = client.post(ceremony.url, valid_citizenship_data())
        assert response.status_code == 409  # the page's state forbids it, as everywhere
        assert message in response.text
    assert CeremonyRegistration.objects.count() == 0


def test_too_many_sign_ups_from_one_address_get_a_429(client, citizenship, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = (2, 3600)
    for _ in range(2):
        assert client.post(citizenship.url, valid_citizenship_data()).status_code == 303
    response = client.post(citizenship.url, valid_citizenship_data())
    assert response.status_code == 429
    assert "Vous avez envoyé beaucoup de formulaires" in response.text
    assert CeremonyRegistration.objects.count() == 2


def test_the_form_says_what_is_kept_and_links_the_personal_data_page(client, citizenship, home):
    from wagtail.models import Site

    from home.models import CommuneSettings

    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    settings.privacy_page = factories.StandardPageFactory(
        parent=home, title="Données personnelles", slug="donnees-personnelles"
    )
    settings.save()
    html = client.get(citizenship.url).text
    assert "pendant 1 an" in html
    assert 'href="/donnees-personnelles/"' in html


def test_old_sign_ups_are_purged(citizenship):
    now = timezone.now()
    old = CeremonyRegistration.objects.create(
        ceremony=citizenship, name="Ancien", email="a@example.org"
    )
    CeremonyRegistration.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=400))
    CeremonyRegistration.objects.create(ceremony=citizenship, name="Récent", email="r@example.org")

    assert CeremonyRegistration.purge_personal_data(now) == 1
    assert list(CeremonyRegistration.objects.values_list("name", flat=True)) == ["Récent"]


# --- processed by the staff in the admin --------------------------------------------------


@pytest.fixture
def registrations(citizenship):
    first = CeremonyRegistration.objects.create(
        ceremony=citizenship, name="Léa Martin", email="lea@example.org", guests=2
    )
    CeremonyRegistration.objects.create(
        ceremony=citizenship,
        name="Hugo Petit",
        email="hugo@example.org",
        status=CeremonyRegistration.Status.CONFIRMED,
    )
    return first


def test_moderators_process_sign_ups_filter_them_and_export_them(client, registrations):
    moderator = factories.UserFactory(groups=["Communication — modérateurs"])
    client.force_login(moderator)

    listing = client.get("/admin/inscriptions-ceremonies/")
    assert listing.status_code == 200
    assert "Léa Martin" in listing.text and "Hugo Petit" in listing.text
    confirmed = client.get("/admin/inscriptions-ceremonies/", {"status": "confirmee"})
    assert "Hugo Petit" in confirmed.text and "Léa Martin" not in confirmed.text

    response = client.post(
        f"/admin/inscriptions-ceremonies/edit/{registrations.pk}/",
        {"status": "confirmee", "staff_note": "Invitation envoyée."},
    )
    assert response.status_code == 302
    registrations.refresh_from_db()
    assert registrations.status == "confirmee"

    # Sign-ups come from citizens only: not even a superuser makes one up in the admin.
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/admin/inscriptions-ceremonies/new/").status_code in (302, 403)
    assert client.get(f"/admin/inscriptions-ceremonies/edit/{registrations.pk}/").status_code == 200
    client.force_login(moderator)

    export = client.get("/admin/inscriptions-ceremonies/", {"export": "csv"})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode()
    assert "Léa Martin" in content and "lea@example.org" in content
    assert "Cérémonie de citoyenneté 2027" in content


def test_association_accounts_and_editors_never_see_sign_ups(client, registrations):
    from django.contrib.auth.models import Group, Permission

    member_group = Group.objects.create(name="Association — Les Amis de Bauné")
    member_group.permissions.add(Permission.objects.get(codename="access_admin"))
    member = factories.UserFactory()
    member.groups.add(member_group)
    client.force_login(member)

    assert client.get("/admin/inscriptions-ceremonies/").status_code in (302, 403)
    assert "inscriptions-ceremonies" not in client.get("/admin/").text
    assert client.get(f"/admin/inscriptions-ceremonies/edit/{registrations.pk}/").status_code in (
        302,
        403,
    )


def test_sign_ups_cannot_close_after_the_ceremony(home):
    from django.core.exceptions import ValidationError

    ceremony = CeremonyPageFactory(parent=agenda(home), occurrences=dates(in_days(10)))
    ceremony.registration_closes = timezone.localdate() + timedelta(days=12)
    with pytest.raises(ValidationError) as error:
        ceremony.full_clean()
    assert "au plus tard le jour de la cérémonie" in str(error.value)
