"""A citizen looks for a mission: the listing of every mission wherever it is published,
with its filters; who offers it (an association, the CCAS, the mairie), its dates and
the actions of the plan it serves; the open missions on the home page; hours recorded
afterwards, under a name; listings whose cost does not grow with the data."""

import datetime

from django.utils import timezone

from wagtail.models import Site

import pytest

from bénévolat.models import AssociationPage, MissionPage, VolunteerHours, VolunteerRequest
from home.models import CommuneSettings
from tests.factories import benevolat as bf

pytestmark = pytest.mark.django_db


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
    # The closed mission names no commune: it is for the whole commune, near everyone.
    assert titles("?commune=corne") == [ccas.title, closed.title]
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


def test_a_mission_links_the_actions_of_the_plan_it_serves(client, home, mission):
    from tests.factories import actions as af

    action = af.ActionPageFactory(parent=af.action_plan(home), title="Espace ressources bénévolat")
    mission.related_actions.set([action])
    mission.save_revision().publish()

    assert "Espace ressources bénévolat" in client.get(mission.url).text
    assert list(action.missions.all()) == [MissionPage.objects.get(pk=mission.pk)]


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
