from django import template
from django.utils.translation import get_language

from wagtail.models import Locale, Page, Site

register = template.Library()


def _home_for(request):
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized.specific_deferred


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The main navigation: the home page's children that the communication team
    ticks "Show in menus" for, in the reader's language."""
    request = context["request"]
    home = _home_for(request)
    items = home.get_children().live().public().in_menu() if home else Page.objects.none()
    current = context.get("page")
    return {
        "home": home,
        "items": items,
        "current_path": current.path if current else "",
        "request": request,
    }


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the other languages; where a page has no translation
    yet, the link goes to that language's home page."""
    request = context["request"]
    page = context.get("page")
    current_language = get_language()
    home = _home_for(request)
    links = []
    for locale in Locale.objects.all().order_by("pk"):
        target = None
        if page is not None and isinstance(page, Page):
            target = page.get_translation_or_none(locale)
            if target is not None and not target.live:
                target = None
        if target is None and home is not None:
            target = home.get_translation_or_none(locale)
        if target is None:
            continue
        links.append(
            {
                "language_code": locale.language_code,
                "name": locale.get_display_name(),
                "url": target.get_url(request),
                "is_current": locale.language_code == current_language,
            }
        )
    return {"links": links}


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """The hreflang alternates of the current page: its live translations."""
    request = context["request"]
    page = context.get("page")
    if page is None or not isinstance(page, Page):
        return []
    return [
        {
            "language_code": translation.locale.language_code,
            "url": translation.get_full_url(request),
        }
        for translation in page.get_translations(inclusive=True).live().select_related("locale")
    ]


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if page is None or not isinstance(page, Page) or page.depth <= 2:
        return []
    return page.get_ancestors().filter(depth__gt=1).live().specific(defer=True)


@register.filter
def localized_page(page):
    """A page chosen in the site settings, in the reader's language where it exists."""
    if page is None:
        return None
    return page.localized


@register.simple_tag(takes_context=True)
def home_page(context):
    """The home page in the reader's language."""
    return _home_for(context["request"])
