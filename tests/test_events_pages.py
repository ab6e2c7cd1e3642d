"""A citizen opens an event page, and search engines read it: what the page says, its
schema.org data (the status, one event per date, the photo) and the postal address
from the commune's settings."""

import json
import re

import pytest

from events.models import EventStatus, Repeat
from tests.factories.benevolat import AssociationPageFactory, association_directory
from tests.factories.events import EventPageFactory, dates, in_days
from tests.factories.home import commune, commune_settings

pytestmark = pytest.mark.django_db


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_an_event_page_carries_valid_schema_org_data(client, index, home):
    club = AssociationPageFactory(parent=association_directory(home), title="Les Amis de Bauné")
    event = EventPageFactory(
        parent=club,
        title="Concert </script><script>alert(1)</script>",
        commune=commune("baune"),
        place_name="Église Saint-Pierre",
        is_free=False,
        price="8 €, gratuit pour les moins de 12 ans",
        status=EventStatus.CANCELLED,
        status_note="Le musicien est malade.",
        accessibility="Accès de plain-pied.",
        occurrences=dates(in_days(5)),
    )
    response = client.get(event.url)
    html = response.text
    data = json_ld(html)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert data["@type"] == "Event"
    assert data["name"] == "Concert </script><script>alert(1)</script>"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["startDate"] == in_days(5).isoformat()
    assert data["location"]["address"]["addressLocality"] == "Bauné"
    assert data["organizer"]["name"] == "Les Amis de Bauné"
    assert data["isAccessibleForFree"] is False
    assert data["url"] == event.full_url
    # What a citizen reads on the page.
    assert "Statut : Annulé" in html
    assert "Le musicien est malade." in html
    assert "Les Amis de Bauné" in html
    assert "8 €, gratuit pour les moins de 12 ans" in html
    assert "Accès de plain-pied." in html


def test_a_repeated_event_gives_one_schema_org_event_per_date(client, index):
    import wagtail_factories

    event = EventPageFactory(
        parent=index,
        occurrences=dates(in_days(2)),
        repeat=Repeat.WEEKLY,
        repeat_until=in_days(16).date(),
        image=wagtail_factories.ImageFactory(),
        image_alt="Des vélos alignés sur la place de la mairie",
    )
    full = EventPageFactory(parent=index, status=EventStatus.FULL, occurrences=dates(in_days(9)))
    assert json_ld(client.get(full.url).text)["offers"]["availability"].endswith("SoldOut")
    data = json_ld(client.get(event.url).text)
    assert isinstance(data, list)
    assert len(data) == 3
    assert {item["eventStatus"] for item in data} == {"https://schema.org/EventScheduled"}
    # Every date shows the event's photo, as a 1200×630 JPEG at a full address.
    assert len({item["image"] for item in data}) == 1
    assert re.match(
        r"http://testserver/media/images/.+\.fill-1200x630\.format-jpeg\.jpg$", data[0]["image"]
    )


def test_the_schema_org_address_comes_from_the_commune_settings(client, index):
    event = EventPageFactory(parent=index, commune=commune("corne"), occurrences=dates(in_days(3)))
    commune_settings(postal_code="49630", department="Maine-et-Loire")
    address = json_ld(client.get(event.url).text)["location"]["address"]
    assert address["postalCode"] == "49630"
    assert address["addressRegion"] == "Maine-et-Loire"
    assert address["addressLocality"] == "Corné"

    # What the settings leave empty is left out, never invented.
    commune_settings(postal_code="", department="")
    address = json_ld(client.get(event.url).text)["location"]["address"]
    assert "postalCode" not in address
    assert "addressRegion" not in address
    assert address["addressCountry"] == "FR"
