"""A citizen browses the agenda: upcoming dates in order with their status, filters by
commune, category, organiser, audience and period, pages and the archive, the next
events on the home page, the English agenda; a listing whose cost does not grow with
the data, and a demo agenda that loads twice."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from events.models import Audience, EventOccurrence, EventPage, EventStatus, Repeat
from home.models import Commune
from tests.factories.benevolat import AssociationPageFactory, association_directory
from tests.factories.events import (
    CeremonyPageFactory,
    EventCategoryFactory,
    EventPageFactory,
    dates,
    in_days,
)
from tests.factories.home import commune

pytestmark = pytest.mark.django_db


def test_the_agenda_lists_upcoming_dates_in_order_with_their_status(client, index):
    EventPageFactory(parent=index, title="Concert de printemps", occurrences=dates(in_days(9)))
    EventPageFactory(
        parent=index,
        title="Marché de Noël",
        occurrences=dates(in_days(2, 10), in_days(16, 10)),
        status=EventStatus.CANCELLED,
        status_note="Tempête annoncée.",
    )
    EventPageFactory(parent=index, title="Fête passée", occurrences=dates(in_days(-5)))
    draft = EventPageFactory(parent=index, title="Brouillon", occurrences=dates(in_days(4)))
    draft.unpublish()
    CeremonyPageFactory(
        parent=index, title="Cérémonie de citoyenneté", occurrences=dates(in_days(6, 11))
    )

    html = client.get(index.url).text

    positions = [
        html.index(title)
        for title in ["Marché de Noël", "Cérémonie de citoyenneté", "Concert de printemps"]
    ]
    assert positions == sorted(positions)
    assert html.count("Marché de Noël") == 2 + 0  # its two dates, each listed
    assert "Annulé" in html
    assert "Fête passée" not in html
    assert "Brouillon" not in html
    assert "Cérémonie citoyenne" in html
    assert "4 dates à venir." in html
    day = in_days(2).date()
    assert f'datetime="{day:%Y-%m-%d}"' in html


def test_private_events_stay_out_of_the_agenda_and_its_feeds(client, index):
    from wagtail.models import PageViewRestriction

    secret = EventPageFactory(parent=index, title="Réunion interne", occurrences=dates(in_days(3)))
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    EventPageFactory(parent=index, title="Fête publique", occurrences=dates(in_days(4)))

    html = client.get(index.url).text
    assert "Fête publique" in html
    assert "Réunion interne" not in html
    assert "Réunion interne" not in client.get(index.url + "ical/").content.decode()
    assert "Réunion interne" not in client.get(index.url + "rss/").content.decode()


def test_the_organiser_list_offers_an_association_once_it_publishes_an_event(client, index, home):
    judo = AssociationPageFactory(
        parent=association_directory(home), title="Judo club de Corné", slug="judo-corne"
    )
    assert 'value="judo-corne"' not in client.get(index.url).text

    EventPageFactory(
        parent=judo, title="Gala de judo", commune=commune("corne"), occurrences=dates(in_days(5))
    )
    assert '<option value="judo-corne">Judo club de Corné</option>' in client.get(index.url).text


def test_filters_by_commune_category_organiser_audience_and_period(client, index, home):
    concert = EventCategoryFactory(name="Concert", slug="concert")
    sport = EventCategoryFactory(name="Sport", slug="sport")
    club = AssociationPageFactory(
        parent=association_directory(home), title="Comité des fêtes de Corné", slug="cdf-corne"
    )
    EventPageFactory(
        parent=index,
        title="Concert à Corné",
        commune=commune("corne"),
        category=concert,
        occurrences=dates(in_days(3)),
    )
    EventPageFactory(
        parent=index,
        title="Tournoi à Andard",
        commune=commune("andard"),
        category=sport,
        municipal_service="sports",
        audience=Audience.YOUTH,
        occurrences=dates(in_days(20)),
    )
    EventPageFactory(
        parent=club,
        title="Bal du comité",
        commune=commune("corne"),
        audience=Audience.FAMILIES,
        occurrences=dates(in_days(40)),
    )

    def titles(**params):
        response = client.get(index.url, params)
        assert response.status_code == 200
        return {
            t
            for t in ["Concert à Corné", "Tournoi à Andard", "Bal du comité"]
            if t in response.text
        }

    assert titles(commune="corne") == {"Concert à Corné", "Bal du comité"}
    assert titles(categorie="sport") == {"Tournoi à Andard"}
    assert titles(organisateur="cdf-corne") == {"Bal du comité"}
    assert titles(organisateur="sports") == {"Tournoi à Andard"}
    # The organiser list offers the associations with events, and keeps the choice.
    form = client.get(index.url, {"organisateur": "cdf-corne"}).text
    assert '<label for="id_organisateur">' in form
    assert '<option value="cdf-corne" selected>' in form
    assert '<optgroup label="Associations">' in form
    assert titles(public="familles") == {"Bal du comité"}
    assert titles(du=in_days(10).date().isoformat(), au=in_days(30).date().isoformat()) == {
        "Tournoi à Andard"
    }
    assert titles(commune="corne", au=in_days(10).date().isoformat()) == {"Concert à Corné"}

    # The filters are links that work without JavaScript, and the association is offered.
    html = client.get(index.url).text
    assert 'href="?commune=corne"' in html
    assert '<option value="cdf-corne">Comité des fêtes de Corné</option>' in html


def test_bad_filters_get_a_french_message_not_an_error_page(client, index):
    EventPageFactory(parent=index, title="Concert", occurrences=dates(in_days(3)))
    response = client.get(index.url, {"commune": "atlantis", "du": "pas-une-date"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.text
    assert "Saisissez une date valide" in response.text
    assert "Concert" not in response.text.split('class="agenda-results"')[1]

    response = client.get(index.url, {"du": in_days(9).date(), "au": in_days(2).date()})
    assert response.status_code == 400
    assert "La fin de la période doit suivre son début." in response.text

    assert client.get(index.url + "ical/", {"commune": "atlantis"}).status_code == 400
    assert client.get(index.url + "rss/", {"public": "martiens"}).status_code == 400
    assert client.get(index.url + "rss/", {"organisateur": "inconnue"}).status_code == 400
    assert client.get(index.url, {"page": "9999"}).status_code == 200
    assert client.get(index.url, {"page": "-1\x00"}).status_code == 200


def test_the_agenda_is_paginated_and_keeps_the_filters(client, index):
    EventPageFactory(
        parent=index,
        title="Permanence",
        occurrences=dates(in_days(1, 9)),
        repeat=Repeat.WEEKLY,
        repeat_until=in_days(1 + 7 * 24).date(),
    )
    first = client.get(index.url, {"commune": "corne"}).text
    assert first.count("agenda-item__title") == 20
    assert "Page 1 sur 2" in first
    assert 'href="?commune=corne&amp;page=2"' in first
    second = client.get(index.url, {"commune": "corne", "page": 2}).text
    assert second.count("agenda-item__title") == 5


def test_the_archive_lists_past_events_from_the_latest(client, index):
    EventPageFactory(parent=index, title="Vide-grenier 2025", occurrences=dates(in_days(-300)))
    EventPageFactory(parent=index, title="Forum des associations", occurrences=dates(in_days(-30)))
    EventPageFactory(parent=index, title="Fête à venir", occurrences=dates(in_days(30)))

    response = client.get(index.url + "archives/")
    html = response.text

    assert response.status_code == 200
    assert "Événements passés" in html
    assert html.index("Forum des associations") < html.index("Vide-grenier 2025")
    assert "Fête à venir" not in html
    assert "2 dates passées." in html
    assert "Vide-grenier" not in client.get(index.url).text
    assert "archives/" in client.get(index.url).text


def test_the_home_page_shows_the_next_events(client, index, home):
    EventPageFactory(parent=index, title="Bourse aux vélos", occurrences=dates(in_days(4)))
    html = client.get("/").text
    assert "À venir" in html
    assert "Bourse aux vélos" in html
    assert "Voir tout l’agenda" in html


def test_english_aliases_have_their_own_agenda(client, index, english):
    from tests import factories

    event = EventPageFactory(parent=index, title="Fête du vélo", occurrences=dates(in_days(3)))
    factories.translate(index.get_parent())
    english_index = factories.translate(index)
    factories.translate(event)
    html = client.get(english_index.url).text
    assert '<html lang="en">' in html
    assert "1 upcoming date." in html
    assert client.get(english_index.url + "ical/").status_code == 200


# --- the cost of the listing does not grow with the data ----------------------------------


def listing_urls(index):
    return [
        index.url,
        index.url + "?page=2",
        index.url + "?commune=corne&public=tout-public",
        index.url + "archives/",
        index.url + "ical/",
        index.url + "rss/",
        "/",
    ]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_count_stays_flat_with_5000_dates(
    client, index, home, django_assert_max_num_queries, rendered_each_time
):
    club = AssociationPageFactory(parent=association_directory(home))
    category = EventCategoryFactory()
    for number in range(3):
        EventPageFactory(
            parent=club if number else index,
            category=category,
            occurrences=dates(in_days(number + 1), in_days(-number - 1)),
        )
    client.get(index.url)  # warm the caches of site root paths and content types
    small = {url: count_queries(client, url) for url in listing_urls(index)}

    # 25 events of 200 dates each: 5,000 dates in the agenda, past and upcoming. The
    # rows are inserted in bulk: the fixture is what is measured, not how it is built.
    communes = list(Commune.objects.all())
    rows = []
    for number in range(25):
        event = EventPageFactory(
            parent=club if number % 2 else index,
            commune=communes[number % len(communes)],
            category=category if number % 3 else None,
            occurrences=dates(in_days(number % 30 - 300, 9)),
        )
        rows += [
            EventOccurrence(page=event, start=start, end=start + timedelta(hours=2))
            for start in (in_days(number % 30 - 300 + 3 * day, 9) for day in range(1, 200))
        ]
    EventOccurrence.objects.bulk_create(rows)
    assert EventOccurrence.objects.count() == 3 * 2 + 5000
    assert EventPage.objects.count() == 28

    client.get(index.url)  # publishing emptied the caches
    for url, count in small.items():
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_agenda_loads_twice_without_duplicates_and_every_page_answers(client, home):
    from io import StringIO

    from events import demo
    from events.models import CeremonyPage, EventIndexPage

    demo.load(StringIO())
    counts = (EventPage.objects.count(), EventOccurrence.objects.count())
    demo.load(StringIO())

    assert (EventPage.objects.count(), EventOccurrence.objects.count()) == counts
    assert EventIndexPage.objects.count() == 1
    assert CeremonyPage.objects.count() == 2
    assert EventOccurrence.objects.filter(generated=True).exists()  # the weekly market
    assert EventOccurrence.objects.filter(all_day=True).exists()
    night = EventPage.objects.get(slug="randonnee-nocturne-changement-heure").occurrences.get()
    assert night.local_start.utcoffset() == timedelta(hours=1)
    assert night.local_end.utcoffset() == timedelta(hours=2)
    assert night.local_end.strftime("%H:%M") == "03:00"
    assert len({page.commune_id for page in EventPage.objects.all()}) == 7
    for page in EventPage.objects.live():
        assert client.get(page.url).status_code == 200, page.url
    index = EventIndexPage.objects.get()
    for suffix in ["", "archives/", "ical/", "rss/", "?commune=corne"]:
        assert client.get(index.url + suffix).status_code == 200
