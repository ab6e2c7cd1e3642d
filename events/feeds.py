"""The agenda's feeds: iCalendar (RFC 5545) for calendar applications, RSS for readers."""

from datetime import timedelta

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.text import slugify
from django.utils.translation import gettext

from wagtail.models import Site

import icalendar

from home.locales import in_reader_language
from home.models import CommuneSettings

from .recurrence import PARIS


def site_root_paths(request):
    """Wagtail caches the site's root paths on the request: page URLs then cost no query."""
    Site.find_for_request(request)


def build_calendar(request, occurrences, name):
    """One VEVENT per date, times in Europe/Paris with their VTIMEZONE, each linking
    back to its event page."""
    cal = icalendar.Calendar()
    commune_name = CommuneSettings.for_request(request).commune_name
    cal.add("prodid", f"-//{commune_name}//Ville citoyenne//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    host = request.get_host().split(":")[0]
    now = timezone.now()
    days = []
    for occurrence in occurrences:
        days += [occurrence.start.date(), occurrence.end.date()]
        page = occurrence.page
        url = page.get_full_url(request)
        event = icalendar.Event()
        event.add("uid", occurrence.uid(host))
        event.add("dtstamp", now)
        event.add("summary", page.summary_with_status())
        if occurrence.all_day:
            event.add("dtstart", occurrence.local_start.date())
            event.add("dtend", occurrence.local_end.date() + timedelta(days=1))
        else:
            event.add("dtstart", occurrence.start.astimezone(PARIS))
            event.add("dtend", occurrence.end.astimezone(PARIS))
        event.add(
            "location", ", ".join(filter(None, [page.place_name, page.address, page.commune.name]))
        )
        organiser = gettext("Organised by %(organiser)s") % {"organiser": page.organiser_name}
        description = [page.intro, page.status_note, organiser, url]
        event.add("description", "\n\n".join(filter(None, description)))
        event.add("url", url)
        event.add("status", page.ical_status)
        if page.category_id:
            event.add("categories", [in_reader_language(page.category).name])
        if page.last_published_at:
            event.add("last-modified", page.last_published_at)
        cal.add_component(event)
    # The time zone's rules, only for the years the calendar covers.
    if days:
        cal.add_missing_timezones(
            first_date=min(days) - timedelta(days=366), last_date=max(days) + timedelta(days=366)
        )
    return cal


def calendar_response(request, occurrences, name, filename):
    site_root_paths(request)
    cal = build_calendar(request, occurrences, name)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "agenda"}.ics"'
    return response


class AgendaFeed(Feed):
    """The agenda as RSS: one item per date, the newest items being the next dates."""

    feed_type = Rss201rev2Feed

    def __init__(self, index_page, occurrences):
        super().__init__()
        self.index_page = index_page
        self.occurrences = occurrences

    def __call__(self, request, *args, **kwargs):
        self.request = request
        site_root_paths(request)
        self.commune_name = CommuneSettings.for_request(request).commune_name
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{self.index_page.title} — {self.commune_name}"

    def link(self):
        return self.index_page.get_url(self.request)

    def description(self):
        return gettext("The events of %(commune)s and of its associations.") % {
            "commune": self.commune_name
        }

    def items(self):
        return self.occurrences

    def item_title(self, occurrence):
        start = timezone.localtime(occurrence.start, PARIS)
        when = (
            start.strftime("%d/%m/%Y") if occurrence.all_day else start.strftime("%d/%m/%Y %H:%M")
        )
        return f"{when} — {occurrence.page.summary_with_status()}"

    def item_description(self, occurrence):
        page = occurrence.page
        parts = [page.intro, f"{page.place_name}, {page.commune.name}", page.status_note]
        return "\n".join(filter(None, parts))

    def item_link(self, occurrence):
        return occurrence.page.get_full_url(self.request)

    def item_guid(self, occurrence):
        return occurrence.uid(self.request.get_host().split(":")[0])

    item_guid_is_permalink = False

    def item_pubdate(self, occurrence):
        return occurrence.page.first_published_at

    def item_categories(self, occurrence):
        page = occurrence.page
        return [in_reader_language(page.category).name] if page.category_id else []
