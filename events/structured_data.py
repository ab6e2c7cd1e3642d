"""schema.org data of the event pages (JSON-LD), for search engines and the applications
that gather local events."""

from home.models import CommuneSettings

from .models import EventStatus

SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.FULL: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}
# At most this many upcoming dates of a repeated event are described.
MAX_DATES = 20


def postal_address(page, commune):
    """Where the event takes place: its own street, its commune déléguée, and what the
    commune's settings give (what they leave empty is left out)."""
    address = {
        "@type": "PostalAddress",
        "streetAddress": page.address,
        "addressLocality": page.commune.name,
    }
    if commune.postal_code:
        address["postalCode"] = commune.postal_code
    if commune.department:
        address["addressRegion"] = commune.department
    # The site serves a French commune: every place it lists is in France.
    address["addressCountry"] = "FR"
    return address


def event_json_ld(page, request):
    """schema.org Event data: one Event per upcoming date (or the last one)."""
    url = page.get_full_url(request)
    # Wagtail keeps the settings on the request: the page's template reads the same.
    commune = CommuneSettings.for_request(request)
    location = {
        "@type": "Place",
        "name": page.place_name,
        "address": postal_address(page, commune),
    }
    organizer = {"@type": "Organization", "name": page.organiser_name}
    if page.association_id:
        organizer["url"] = page.association.get_full_url(request)
    dates = page.upcoming_dates()[:MAX_DATES] or page.dates[-1:]
    # Once for all the dates: looking a rendition up costs as much as the rest.
    image_url = ""
    if page.image_id:
        # get_renditions() rather than get_rendition(), which writes the rendition to
        # the cache at every call even when the image brought it along (prefetched).
        spec = "fill-1200x630|format-jpeg"
        rendition = page.image.get_renditions(spec)[spec]
        image_url = request.build_absolute_uri(rendition.url)
    events = []
    for row in dates:
        event = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": page.title,
            "url": url,
            "startDate": (row.day if row.all_day else row.local_start).isoformat(),
            "endDate": (row.local_end.date() if row.all_day else row.local_end).isoformat(),
            "eventStatus": SCHEMA_STATUS[page.status],
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": location,
            "organizer": organizer,
            "isAccessibleForFree": page.is_free,
            "inLanguage": page.locale.language_code,
        }
        if page.intro or page.search_description:
            event["description"] = page.search_description or page.intro
        if not page.is_free and page.price:
            event["offers"] = {"@type": "Offer", "description": page.price, "url": url}
        if page.status == EventStatus.FULL:
            # schema.org has no "full" event status: its offers are sold out.
            event.setdefault("offers", {"@type": "Offer", "url": url})
            event["offers"]["availability"] = "https://schema.org/SoldOut"
        if page.former_date and page.status == EventStatus.POSTPONED:
            # schema.org: "postponed" while the new date is unknown, "rescheduled" once known.
            event["eventStatus"] = "https://schema.org/EventRescheduled"
            event["previousStartDate"] = page.former_date.isoformat()
        if image_url:
            event["image"] = image_url
        events.append(event)
    return events[0] if len(events) == 1 else events
