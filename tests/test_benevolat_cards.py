"""The missions' and associations' cards, their order in the listings and a mission's
facts are kept once per publication (issue 16): what a visitor sees still follows
every publication and every accepted request, with the full-page cache left out so
that only these kept pieces answer."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from bénévolat.models import VolunteerRequest
from tests.factories import benevolat as bf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_as_built(settings):
    # The full-page cache would answer before the kept pieces are read.
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "CacheMiddleware" not in name]


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_mission_shows_at_once_in_every_listing(
    client, home, listing, directory, comite, mission
):
    pages = [listing.url, comite.url, mission.url]
    for url in pages:
        assert "Une buvette pour le marché" not in text_of(client, url)

    mission.summary = "Une buvette pour le marché"
    mission.save_revision().publish()
    for url in pages:
        assert "Une buvette pour le marché" in text_of(client, url)

    other = bf.MissionPageFactory(parent=comite, title="Monter les stands", slug="stands")
    assert "Monter les stands" in text_of(client, listing.url)
    assert "Monter les stands" in text_of(client, comite.url)
    assert "2 missions" in text_of(client, listing.url)
    other.unpublish()
    assert "Monter les stands" not in text_of(client, listing.url)


def test_the_last_place_taken_shows_the_mission_filled(client, listing, comite, mission):
    assert "status-badge--open" in text_of(client, listing.url)
    assert "2 places restantes" in text_of(client, mission.url)
    first = bf.VolunteerRequestFactory(mission=mission)
    first.status = VolunteerRequest.Status.ACCEPTED
    first.save()
    assert "1 place restante" in text_of(client, mission.url)
    second = bf.VolunteerRequestFactory(mission=mission)
    second.status = VolunteerRequest.Status.ACCEPTED
    second.save()
    assert "status-badge--open" not in text_of(client, listing.url)
    assert "status-badge--open" not in text_of(client, comite.url)
    assert "Pourvue" in text_of(client, mission.url)


def test_a_published_association_shows_at_once_in_the_directory(
    client, directory, comite, communes
):
    assert "Cherche des bénévoles" in text_of(client, directory.url)
    comite.looking_for_volunteers = False
    comite.communes.set([communes["corne"]])
    comite.save_revision().publish()
    text = text_of(client, directory.url)
    assert "Cherche des bénévoles" not in text.split('class="card-list"')[1]
    assert "Corné" in text_of(client, comite.url)


def test_listings_read_no_card_twice(client, listing, comite, mission):
    text_of(client, listing.url)
    with CaptureQueriesContext(connection) as first:
        text_of(client, listing.url)
    bf.MissionPageFactory(parent=comite, title="Monter les stands", slug="stands")
    with CaptureQueriesContext(connection) as after_publication:
        text_of(client, listing.url)
    with CaptureQueriesContext(connection) as again:
        text_of(client, listing.url)
    # A publication reads the order and the cards again, once.
    assert len(after_publication) > len(first)
    assert len(again) == len(first)
