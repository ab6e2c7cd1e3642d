"""The agenda as citizens use it: upcoming dates in order, filters by commune, category,
organiser, audience and period, the archive, the calendar and RSS feeds, the event
pages with their schema.org data, and a listing whose cost does not grow with the data."""

import json
import re
from datetime import date, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import icalendar
import pytest

from events.models import (
    MAX_OCCURRENCES,
    Audience,
    EventOccurrence,
    EventPage,
    EventStatus,
    Repeat,
    repeated_days,
)
from home.models import Commune
from tests.factories.benevolat import AssociationPageFactory, association_directory
from tests.factories.events import (
    CeremonyPageFactory,
    EventCategoryFactory,
    EventPageFactory,
    agenda,
    dates,
    paris,
)

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


def spring_change_day():
    """The next night the clocks go forward in France: the last Sunday of March."""
    today = timezone.localdate()
    year = today.year if today < date(today.year, 3, 20) else today.year + 1
    day = date(year, 3, 31)
    while day.weekday() != 6:
        day -= timedelta(days=1)
    return day


def in_days(days, hour=20, minute=0):
    day = timezone.localdate() + timedelta(days=days)
    return paris(day.year, day.month, day.day, hour, minute)


def commune(slug):
    return Commune.objects.get(slug=slug)


@pytest.fixture
def index(home):
    return agenda(home)


def parse_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal):
    return list(cal.walk("VEVENT"))


# --- dates -----------------------------------------------------------------------------


def test_a_weekly_event_keeps_its_local_time_across_the_change_of_time(index):
    sunday = spring_change_day()
    saturday_before = sunday - timedelta(days=8)  # two Saturdays before the change
    event = EventPageFactory(
        parent=index,
        title="Atelier tricot",
        occurrences=dates(
            paris(saturday_before.year, saturday_before.month, saturday_before.day, 20)
        ),
        repeat=Repeat.WEEKLY,
        repeat_until=sunday + timedelta(days=14),
    )

    rows = list(event.occurrences.order_by("start"))

    assert len(rows) == 4
    assert [row.local_start.strftime("%H:%M") for row in rows] == ["20:00"] * 4
    assert [row.start.astimezone(UTC).hour for row in rows] == [19, 19, 18, 18]
    assert [row.generated for row in rows] == [False, True, True, True]
    assert all(row.local_end.strftime("%H:%M") == "22:00" for row in rows)


def test_repetition_is_computed_again_when_the_page_is_saved_and_stays_bounded(index):
    start = in_days(3)
    event = EventPageFactory(
        parent=index,
        occurrences=dates(start),
        repeat=Repeat.WEEKLY,
        repeat_until=(start + timedelta(weeks=5)).date(),
    )
    assert event.occurrences.count() == 6
    kept = set(event.occurrences.values_list("pk", flat=True))

    event.repeat_until = (start + timedelta(weeks=2)).date()
    event.save()
    assert event.occurrences.count() == 3
    # The dates that stay keep their rows (and so their calendar identity).
    assert set(event.occurrences.values_list("pk", flat=True)) <= kept

    event.repeat_until = (start + timedelta(weeks=1000)).date()
    event.save()
    assert event.occurrences.count() == MAX_OCCURRENCES


def test_monthly_repetitions_follow_the_calendar():
    # Every 31st: months without one are skipped.
    assert repeated_days(date(2027, 1, 31), Repeat.MONTHLY_DAY, date(2027, 5, 31)) == [
        date(2027, 3, 31),
        date(2027, 5, 31),
    ]
    # Every second Tuesday.
    assert repeated_days(date(2027, 1, 12), Repeat.MONTHLY_WEEKDAY, date(2027, 4, 30)) == [
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
    ]


def test_an_all_day_event_covers_whole_days(index):
    event = EventPageFactory(
        parent=index,
        occurrences=[EventOccurrence(start=in_days(10, 15), end=in_days(11, 9), all_day=True)],
    )
    row = event.occurrences.get()
    assert (row.local_start.hour, row.local_start.minute) == (0, 0)
    assert (row.local_end.hour, row.local_end.minute) == (23, 59)
    assert row.local_end.date() - row.local_start.date() == timedelta(days=1)


def test_the_page_refuses_inconsistent_details(index):
    event = EventPageFactory.build(
        title="Loto",
        slug="loto",
        commune=commune("baune"),
        place_name="Salle",
        repeat=Repeat.WEEKLY,
        is_free=False,
        status=EventStatus.CANCELLED,
        registration="lien",
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    for field in ["repeat_until", "price", "status_note", "registration_url"]:
        assert field in error.value.message_dict
    assert "Dites jusqu’à quel jour" in " ".join(error.value.message_dict["repeat_until"])

    row = EventOccurrence(page=event, start=in_days(2, 20), end=in_days(2, 18))
    with pytest.raises(ValidationError) as error:
        row.clean()
    assert "doit se terminer après" in str(error.value)


# --- the agenda ---------------------------------------------------------------------------


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


# --- feeds --------------------------------------------------------------------------------


def test_the_calendar_feed_has_one_entry_per_date_in_paris_time_across_the_change(client, index):
    sunday = spring_change_day()
    saturday = sunday - timedelta(days=1)
    weekly = EventPageFactory(
        parent=index,
        title="Répétition de la chorale",
        slug="chorale",
        commune=commune("corne"),
        occurrences=dates(
            paris(saturday.year, saturday.month, saturday.day, 20) - timedelta(days=7)
        ),
        repeat=Repeat.WEEKLY,
        repeat_until=saturday + timedelta(days=7),
    )
    night = EventPageFactory(
        parent=index,
        title="Nuit des étoiles",
        commune=commune("la-dagueniere"),
        occurrences=[
            EventOccurrence(
                start=paris(saturday.year, saturday.month, saturday.day, 22),
                end=paris(sunday.year, sunday.month, sunday.day, 4),
            )
        ],
        status=EventStatus.POSTPONED,
        status_note="Reportée à la prochaine nuit claire.",
    )

    cal = parse_calendar(client.get(index.url + "ical/"))
    entries = vevents(cal)

    assert len(entries) == 4
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    chorale = sorted(
        (e for e in entries if "chorale" in str(e["SUMMARY"]).lower()), key=lambda e: e.start
    )
    assert [e.start.strftime("%d %H:%M") for e in chorale] == [
        f"{(saturday - timedelta(days=7)).day:02d} 20:00",
        f"{saturday.day:02d} 20:00",
        f"{(saturday + timedelta(days=7)).day:02d} 20:00",
    ]
    assert all(str(e.start.tzinfo) == "Europe/Paris" for e in chorale)
    assert [e.start.astimezone(UTC).hour for e in chorale] == [19, 19, 18]
    assert "DTSTART;TZID=Europe/Paris:" in client.get(index.url + "ical/").text
    assert len({str(e["UID"]) for e in entries}) == 4

    star = next(e for e in entries if "étoiles" in str(e["SUMMARY"]))
    assert str(star["STATUS"]) == "TENTATIVE"
    assert str(star["SUMMARY"]) == "Reporté : Nuit des étoiles"
    assert star.end.astimezone(UTC) - star.start.astimezone(UTC) == timedelta(
        hours=5
    )  # the night loses an hour
    assert str(star["URL"]) == night.full_url
    assert str(chorale[0]["URL"]) == weekly.full_url

    # The same UIDs come back on the next download: calendars update, not duplicate.
    again = vevents(parse_calendar(client.get(index.url + "ical/")))
    assert {str(e["UID"]) for e in again} == {str(e["UID"]) for e in entries}


def test_a_filtered_feed_holds_only_its_events_and_cancellations_say_so(client, index, home):
    club = AssociationPageFactory(parent=association_directory(home), slug="judo-club")
    EventPageFactory(
        parent=index, title="À Corné", commune=commune("corne"), occurrences=dates(in_days(3))
    )
    EventPageFactory(
        parent=index, title="À Bauné", commune=commune("baune"), occurrences=dates(in_days(4))
    )
    EventPageFactory(
        parent=club,
        title="Gala de judo",
        commune=commune("corne"),
        status=EventStatus.CANCELLED,
        status_note="Salle indisponible.",
        occurrences=dates(in_days(5)),
    )

    in_corne = vevents(parse_calendar(client.get(index.url + "ical/", {"commune": "corne"})))
    assert sorted(str(e["SUMMARY"]) for e in in_corne) == ["Annulé : Gala de judo", "À Corné"]
    gala = next(e for e in in_corne if "judo" in str(e["SUMMARY"]))
    assert str(gala["STATUS"]) == "CANCELLED"

    the_club = vevents(
        parse_calendar(client.get(index.url + "ical/", {"organisateur": "judo-club"}))
    )
    assert [str(e["SUMMARY"]) for e in the_club] == ["Annulé : Gala de judo"]

    # A new association subscribes to its feed before its first event is published.
    AssociationPageFactory(parent=association_directory(home), slug="nouvelle-asso")
    empty = parse_calendar(client.get(index.url + "ical/", {"organisateur": "nouvelle-asso"}))
    assert vevents(empty) == []

    # The listing offers the feeds of exactly what it shows.
    html = client.get(index.url, {"commune": "corne"}).text
    assert f'href="{index.url}ical/?commune=corne"' in html
    assert f'href="{index.url}rss/?commune=corne"' in html


def test_an_event_page_offers_its_own_calendar_file_with_all_day_dates(client, index):
    event = EventPageFactory(
        parent=index,
        title="Fête de la Loire",
        occurrences=[
            EventOccurrence(start=in_days(12, 0), end=in_days(13, 0), all_day=True),
            EventOccurrence(start=in_days(19, 0), end=in_days(19, 0), all_day=True),
        ],
    )
    html = client.get(event.url).text
    assert f'href="{event.url}ical/"' in html

    entries = vevents(parse_calendar(client.get(event.url + "ical/")))
    assert len(entries) == 2
    first = min(entries, key=lambda e: e.start)
    assert first.start == in_days(12).date()
    assert first.end == in_days(14).date()  # DTEND is exclusive for whole days
    assert "VALUE=DATE" in client.get(event.url + "ical/").text


def test_the_rss_feed_lists_the_next_dates_with_links_back(client, index):
    event = EventPageFactory(
        parent=index,
        title="Conférence climat",
        commune=commune("baune"),
        occurrences=dates(in_days(3), in_days(10)),
    )
    response = client.get(index.url + "rss/", {"commune": "baune"})
    assert response.status_code == 200
    channel = ElementTree.fromstring(response.content).find("channel")  # noqa: S314 - our own feed
    items = channel.findall("item")
    assert len(items) == 2
    assert all(item.find("link").text == event.full_url for item in items)
    assert "Conférence climat" in items[0].find("title").text
    assert "Bauné" in items[0].find("description").text


# --- event pages ------------------------------------------------------------------------


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


def commune_settings(**values):
    from wagtail.models import Site

    from home.models import CommuneSettings

    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


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


def test_the_feeds_bear_the_commune_name_of_the_settings(client, index):
    EventPageFactory(parent=index, occurrences=dates(in_days(3)))
    commune_settings(commune_name="Saint-Test")
    cal = parse_calendar(client.get(index.url + "ical/"))
    assert str(cal["prodid"]) == "-//Saint-Test//Ville citoyenne//FR"
    channel = ElementTree.fromstring(client.get(index.url + "rss/").content).find("channel")  # noqa: S314 - our own feed
    assert channel.find("title").text.endswith("— Saint-Test")
    assert (
        channel.find("description").text == "Les événements de Saint-Test et de ses associations."
    )
