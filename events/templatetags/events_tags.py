import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from events import structured_data
from events.models import agenda_for_locale
from home.page_cache import cached_until_published

register = template.Library()

# Inside <script>, "</script>" or "<!--" in a title must not end the element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def event_json_ld(context, page):
    """The page's schema.org Event data, safe to place inside a script element."""
    data = structured_data.event_json_ld(page, context["request"])
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def agenda_item(context, occurrence):
    """One date of the agenda as HTML, the same for every visitor: kept per date and
    language until an event is published (a date's change publishes its event; a
    title, slug, commune or category change starts a new generation). Rendering the
    twenty of a page each time was a third of an uncached agenda."""

    def render():
        template = context.template.engine.get_template("events/includes/agenda_item.html")
        values = {"request": context.get("request"), "occurrence": occurrence}
        return template.render(context.new({**values, "event": occurrence.page}))

    return mark_safe(  # noqa: S308 - rendered by the template, which escapes
        cached_until_published(
            f"agenda-item:{get_language()}:{occurrence.pk}", render, tags=("events",)
        )
    )


@register.inclusion_tag("events/includes/association_events.html", takes_context=True)
def association_events(context, association, limit=5):
    """An association's next dates, with links to its agenda and calendar feed: for the
    association's page (`{% load events_tags %}{% association_events page %}`)."""
    agenda = agenda_for_locale(association.locale_id)
    occurrences = []
    agenda_url = ""
    if agenda is not None:
        # Kept until an event is published, and no longer than a cached page: the
        # next dates move with the clock.
        occurrences = cached_until_published(
            f"association-events:{association.pk}:{limit}",
            lambda: list(agenda.occurrences().filter(page__association=association)[:limit]),
            tags=("events",),
            timeout=settings.PAGE_CACHE_SECONDS,
        )
        agenda_url = f"{agenda.url}?organisateur={association.slug}"
    return {
        "request": context.get("request"),
        "association": association,
        "occurrences": occurrences,
        "agenda_url": agenda_url,
        "ics_url": agenda_url.replace("?", "ical/?", 1) if agenda_url else "",
    }
