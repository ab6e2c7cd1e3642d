"""A citizen subscribes to the agenda: the calendar feed with one entry per date in Paris
time, feeds filtered as the listing is, an event's own calendar file, the RSS feed;
every feed bears the commune's name from its settings."""

from datetime import timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import icalendar
import pytest

from events.models import EventOccurrence, EventStatus, Repeat
from tests.factories.benevolat import AssociationPageFactory, association_directory
from tests.factories.events import EventPageFactory, dates, in_days, paris, spring_change_day
from tests.factories.home import commune, commune_settings

pytestmark = pytest.mark.django_db


UTC = ZoneInfo("UTC")


def parse_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal):
    return list(cal.walk("VEVENT"))


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
