"""The espace ressources bénévolat as citizens meet it: the association directory,
the missions listing, the "Je veux aider" form and its emails, the purge."""

import datetime
import io

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from wagtail.models import Site

import pytest

from bénévolat.models import (
    AssociationPage,
    MissionPage,
    VolunteerHours,
    VolunteerRequest,
)
from home.models import Commune, CommuneSettings
from notifications.models import OutgoingEmail
from tests.factories import benevolat as bf

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(db):
    return {commune.slug: commune for commune in Commune.objects.all()}


@pytest.fixture
def directory(home):
    return bf.association_directory(home)


@pytest.fixture
def listing(home):
    return bf.missions_listing(home)


@pytest.fixture
def comite(directory, communes):
    association = bf.AssociationPageFactory(
        parent=directory,
        title="Comité des fêtes d'Andard",
        slug="comite-des-fetes",
        contact_email="comite@fetes-andard.example.org",
        looking_for_volunteers=True,
        meeting_place="Salle des fêtes d'Andard",
        meeting_times="Le premier lundi du mois",
    )
    association.communes.set([communes["andard"]])
    association.fields.set([bf.ActivityFieldFactory(name="Animation locale", slug="animation")])
    association.save_revision().publish()
    return association


@pytest.fixture
def mission(comite, communes):
    return bf.MissionPageFactory(
        parent=comite,
        title="Tenir la buvette du marché de Noël",
        slug="buvette",
        commune=communes["andard"],
        volunteers_needed=2,
    )


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


# The directory ---------------------------------------------------------------


def test_directory_filters_by_field_commune_volunteers_and_name(client, directory, communes):
    sport = bf.ActivityFieldFactory(name="Sport", slug="sport")
    culture = bf.ActivityFieldFactory(name="Culture", slug="culture")
    foot = bf.AssociationPageFactory(
        parent=directory, title="US Loire-Authion football", looking_for_volunteers=True
    )
    foot.fields.set([sport])
    foot.communes.set([communes["brain-sur-l-authion"]])
    foot.save_revision().publish()
    theatre = bf.AssociationPageFactory(parent=directory, title="Les Tréteaux de la Daguenière")
    theatre.fields.set([culture])
    theatre.communes.set([communes["la-dagueniere"]])
    theatre.save_revision().publish()
    bf.AssociationPageFactory(parent=directory, title="Brouillon caché", live=False)

    def names(query):
        response = client.get(directory.url + query)
        assert response.status_code == 200
        return [association.title for association in response.context["associations"]]

    assert names("") == ["Les Tréteaux de la Daguenière", "US Loire-Authion football"]
    assert names("?domaine=sport") == ["US Loire-Authion football"]
    assert names("?commune=la-dagueniere") == ["Les Tréteaux de la Daguenière"]
    assert names("?benevoles=1") == ["US Loire-Authion football"]
    assert names("?q=tréteaux") == ["Les Tréteaux de la Daguenière"]
    if settings.DATABASE_IS_POSTGRES:  # accents ignored where the database can
        assert names("?q=TRETEAUX") == ["Les Tréteaux de la Daguenière"]
    assert names("?domaine=culture&commune=brain-sur-l-authion") == []
    # An unknown filter value (an old link) is ignored, never an error.
    assert len(names("?domaine=disparu&commune=nulle-part&page=99")) == 2
    html = client.get(directory.url + "?domaine=sport").text
    assert '<option value="sport" selected>' in html
    assert "1 association" in html


def test_directory_paginates(client, directory):
    for number in range(14):
        bf.AssociationPageFactory(parent=directory, title=f"Association {number:02d}")
    first = client.get(directory.url)
    second = client.get(directory.url + "?page=2")
    assert len(first.context["associations"]) == 12
    assert [a.title for a in second.context["associations"]] == [
        "Association 12",
        "Association 13",
    ]
    assert 'rel="next"' in first.text


def test_association_page_shows_contact_meetings_and_open_missions(client, comite, mission):
    bf.MissionPageFactory(parent=comite, title="Mission close", status=MissionPage.Status.CLOSED)
    html = client.get(comite.url).text
    assert "Comité des fêtes d&#x27;Andard" in html
    assert "comite@fetes-andard.example.org" in html
    assert "Le premier lundi du mois" in html
    assert "Tenir la buvette du marché de Noël" in html
    assert "Mission close" not in html
    assert "Andard" in html and "Animation locale" in html


def test_association_logo_needs_a_text_alternative(comite):
    from django.core.exceptions import ValidationError

    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    logo = get_image_model().objects.create(title="Logo", file=get_test_image_file())
    comite.logo = logo
    with pytest.raises(ValidationError) as error:
        comite.full_clean()
    assert "logo_alt" in error.value.message_dict


# The missions listing ----------------------------------------------------------


def test_listing_shows_all_missions_wherever_they_are_with_filters(
    client, listing, comite, mission, communes
):
    today = timezone.localdate()
    ccas = bf.MissionPageFactory(
        parent=listing,
        title="Livrer les colis du CCAS",
        structure=MissionPage.Structure.CCAS,
        commune=communes["corne"],
        suits_families=True,
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=31),
    )
    solidarity = bf.ActivityFieldFactory(name="Solidarité", slug="solidarite")
    ccas.fields.set([solidarity])
    ccas.save_revision().publish()
    closed = bf.MissionPageFactory(
        parent=comite,
        title="Chantier terminé",
        status=MissionPage.Status.CLOSED,
        start_date=today - datetime.timedelta(days=40),
        end_date=today - datetime.timedelta(days=30),
    )

    def titles(query):
        response = client.get(listing.url + query)
        assert response.status_code == 200
        return [m.title for m in response.context["missions"]]

    everything = titles("")
    assert set(everything) == {mission.title, ccas.title, closed.title}
    assert everything[-1] == closed.title  # open missions first
    assert titles("?commune=corne") == [ccas.title]
    assert titles("?domaine=solidarite") == [ccas.title]
    assert titles("?familles=1") == [ccas.title]
    assert closed.title not in titles("?ouvertes=1")
    assert titles(f"?date={today.isoformat()}") == [mission.title, ccas.title]
    assert titles("?date=pas-une-date") == everything

    html = client.get(listing.url).text
    assert "CCAS de Loire-Authion" in html
    assert "Comité des fêtes d&#x27;Andard" in html
    assert ccas.structure == MissionPage.Structure.CCAS
    assert ccas.association is None
    assert mission.association_id == comite.pk


def test_the_ccas_and_the_mairie_bear_the_commune_name_of_the_site_settings(client, listing):
    ccas = bf.MissionPageFactory(parent=listing, structure=MissionPage.Structure.CCAS)
    mairie = bf.MissionPageFactory(parent=listing, structure=MissionPage.Structure.MAIRIE)
    assert ccas.structure_name == "CCAS de Loire-Authion"  # the settings' default

    commune = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    commune.commune_name = "Brissac Loire Aubance"
    commune.save()

    assert ccas.structure_name == "CCAS de Brissac Loire Aubance"
    assert mairie.structure_name == "Mairie de Brissac Loire Aubance"
    assert "CCAS de Brissac Loire Aubance" in client.get(listing.url).text


def test_mission_structure_follows_its_parent(listing, comite):
    under_listing = bf.MissionPageFactory(parent=listing, structure="association")
    assert under_listing.structure == MissionPage.Structure.MAIRIE
    assert bf.MissionPageFactory(parent=comite, structure="ccas").structure == "association"


def test_mission_dates_must_be_ordered_and_given(comite):
    from django.core.exceptions import ValidationError

    mission = MissionPage(
        title="Sans date",
        slug="sans-date",
        summary="…",
        description="<p>…</p>",
        start_date=datetime.date(2026, 5, 2),
        end_date=datetime.date(2026, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        mission.full_clean()
    assert "La mission ne peut pas finir avant de commencer." in str(error.value)
    mission.start_date = mission.end_date = None
    with pytest.raises(ValidationError) as error:
        mission.full_clean()
    assert "start_date" in error.value.message_dict


# The "Je veux aider" form --------------------------------------------------------


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


# Query counts ----------------------------------------------------------------------


def build_associations_and_missions(directory, listing, count, communes):
    from tests.factories import events as ef

    ef.agenda(directory.get_parent())
    field = bf.ActivityFieldFactory(name="Sport", slug="sport")
    for _ in range(count):
        association = bf.AssociationPageFactory(parent=directory, looking_for_volunteers=True)
        association.communes.set(list(communes.values())[:2])
        association.fields.set([field])
        association.save_revision().publish()
        mission = bf.MissionPageFactory(parent=association, commune=communes["andard"])
        mission.fields.set([field])
        mission.save_revision().publish()
        bf.VolunteerRequestFactory(mission=mission, status=VolunteerRequest.Status.ACCEPTED)
        bf.MissionPageFactory(parent=listing, structure=MissionPage.Structure.CCAS)
        ef.EventPageFactory(parent=association)


def test_listing_query_counts_do_not_grow_with_the_data(
    client, home, directory, listing, communes, rendered_each_time
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [
        home.url,
        directory.url,
        directory.url + "?benevoles=1&domaine=sport&commune=andard",
        listing.url,
        listing.url + "?familles=1&ouvertes=1&commune=andard",
    ]

    def query_counts():
        counts = []
        association = AssociationPage.objects.order_by("pk").first()
        for url in [*urls, association.url]:
            client.get(url)  # warm the caches (site root, settings)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    build_associations_and_missions(directory, listing, 2, communes)
    few = query_counts()
    build_associations_and_missions(directory, listing, 5, communes)
    many = query_counts()

    assert many == few
    assert max(many) <= 30


def test_home_page_highlights_the_open_missions(client, home, listing, mission):
    bf.MissionPageFactory(parent=listing, title="Mission fermée", status="closed")
    html = client.get(home.url).text
    assert "Missions de bénévolat" in html
    assert mission.title in html
    assert "Mission fermée" not in html
    assert "Voir toutes les missions de bénévolat" in html


def test_hours_are_not_recorded_in_advance_nor_without_a_name(mission):
    from django.core.exceptions import ValidationError

    hours = VolunteerHours(
        mission=mission,
        volunteer_name="",
        date=timezone.localdate() + datetime.timedelta(days=3),
        hours=2,
    )
    with pytest.raises(ValidationError) as error:
        hours.full_clean()
    assert set(error.value.message_dict) == {"volunteer_name"}
    hours.volunteer_name = "Léa"
    with pytest.raises(ValidationError) as error:
        hours.full_clean()
    assert set(error.value.message_dict) == {"date"}


def test_demo_content_loads_twice_without_duplicates(home):
    from bénévolat import demo
    from home import demo as home_demo

    out = io.StringIO()
    home_demo.load(out)
    demo.load(out)
    counts = (AssociationPage.objects.count(), MissionPage.objects.count())
    demo.load(out)
    assert counts == (AssociationPage.objects.count(), MissionPage.objects.count())
    assert counts[0] == 12
    assert MissionPage.objects.filter(status="closed").count() == 1
    assert MissionPage.objects.filter(suits_families=True).exists()
    assert MissionPage.objects.filter(structure="ccas").exists()
    assert "comite-fetes-andard" in out.getvalue()


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


def test_a_mission_links_the_actions_of_the_plan_it_serves(client, home, mission):
    from tests.factories import actions as af

    action = af.ActionPageFactory(parent=af.action_plan(home), title="Espace ressources bénévolat")
    mission.related_actions.set([action])
    mission.save_revision().publish()

    assert "Espace ressources bénévolat" in client.get(mission.url).text
    assert list(action.missions.all()) == [MissionPage.objects.get(pk=mission.pk)]


def test_association_page_shows_its_next_events(client, home, comite):
    from tests.factories import events as ef

    ef.agenda(home)
    ef.EventPageFactory(parent=comite, title="Vide-greniers de septembre")
    html = client.get(comite.url).text
    assert "Vide-greniers de septembre" in html
    assert "ical/?organisateur=comite-des-fetes" in html
