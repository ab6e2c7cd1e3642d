from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

from wagtail import hooks
from wagtail.models import Page, Site

from home.icons import tone_of
from home.locales import content_language, in_reader_language
from home.models import AccessibilityPage, all_pages, page_description
from home.near_me import chosen_commune
from home.page_cache import cached_until_published, generation

register = template.Library()

# The site chrome (menu, translations of a page, footer links) is the same for every
# visitor and changes only when something is published: it is kept in the cache under
# the site's generation (home/page_cache.py), which every publication bumps.


def _home_for(request):
    """The home page in the reader's language, looked up once per request: the
    header, menu and switcher all need it."""
    if not hasattr(request, "_localized_home"):
        site = Site.find_for_request(request)
        home = None
        if site is not None:
            language = get_language()
            home = next(
                (
                    translation
                    for translation in _translations(request, site.root_page)
                    if translation.locale.language_code == language
                ),
                site.root_page,
            )
        request._localized_home = home
    return request._localized_home


def _translations(request, page):
    """The live translations of `page` (itself included), once per request and page."""
    translations = request.__dict__.setdefault("_page_translations", {})
    if page.pk not in translations:
        translations[page.pk] = cached_until_published(
            f"translations:{page.pk}",
            lambda: list(
                Page.objects.filter(translation_key=page.translation_key, live=True)
                .select_related("locale")
                .order_by("locale_id")
            ),
        )
    return translations[page.pk]


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context, variant="bar"):
    """The main navigation: the home page's children that the communication team
    ticks "Show in menus" for, in the reader's language. Written twice in the header,
    as a row under the bar on wide screens (`bar`) and as a list in the menu button's
    panel on phones (`panel`); CSS shows one of them only (display: none takes the
    other out of the accessibility tree too)."""
    request = context["request"]
    home = _home_for(request)
    items = []
    if home:
        items = cached_until_published(
            f"main-menu-items:{home.pk}",
            lambda: [
                {
                    "title": item.title,
                    "url": item.get_url(request),
                    "path": item.path,
                    "lang": content_language(item, home),
                }
                for item in all_pages().child_of(home).visible_to_public().in_menu()
            ],
        )
    current = context.get("page")
    return {
        "home": home,
        "items": items,
        "current_path": current.path if isinstance(current, Page) else "",
        "request": request,
        "variant": variant,
        "language": get_language(),
    }


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the other languages; where a page has no translation
    yet, the link goes to that language's home page."""
    request = context["request"]
    page = context.get("page")
    current_language = get_language()
    home = _home_for(request)
    targets = {}
    if home is not None:
        for translation in _translations(request, home):
            targets[translation.locale.language_code] = translation
    if isinstance(page, Page):
        for translation in _translations(request, page):
            targets[translation.locale.language_code] = translation
    links = [
        {
            "language_code": language_code,
            "name": target.locale.get_display_name(),
            "url": target.get_url(request),
            "is_current": language_code == current_language,
        }
        for language_code, target in sorted(targets.items(), key=lambda item: item[1].locale_id)
    ]
    return {"links": links}


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """The hreflang alternates of the current page: its live translations."""
    request = context["request"]
    page = context.get("page")
    if not isinstance(page, Page):
        return []
    return [
        {
            "language_code": translation.locale.language_code,
            "url": translation.get_full_url(request),
        }
        for translation in _translations(request, page)
    ]


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    # The routing read the ancestors already (home/routing.py).
    ancestors = getattr(page, "_routed_ancestors", None)
    if ancestors is not None:
        return [ancestor for ancestor in ancestors if ancestor.depth > 1 and ancestor.live]
    return page.get_ancestors().filter(depth__gt=1).live().specific(defer=True)


@register.filter
def localized_page(page):
    """A page chosen in the site settings, in the reader's language where it exists."""
    if page is None:
        return None
    return page.localized


@register.simple_tag
def legal_pages(commune_settings):
    """The links the footer must show, in the reader's language where the pages are
    translated: one query for all three, one more for the accessibility statement's
    status, which French law wants in the footer ("Accessibilité : partiellement
    conforme"). Each link is {"page", "label"}. Kept per generation: the footer of
    the first page after a publication then costs no query."""
    return cached_until_published(
        f"legal-pages:{commune_settings.pk}:{get_language()}",
        lambda: _legal_pages(commune_settings),
    )


def _legal_pages(commune_settings):
    pages = commune_settings.legal_pages()
    localized = {
        translation.translation_key: translation
        for translation in Page.objects.live().filter(
            translation_key__in=[page.translation_key for page in pages],
            locale__language_code=get_language(),
        )
    }
    pages = [localized.get(page.translation_key, page) for page in pages]
    statements = {
        statement.pk: statement
        for statement in AccessibilityPage.objects.filter(pk__in=[page.pk for page in pages])
    }
    return [
        {
            "page": page,
            "label": statements[page.pk].footer_mention() if page.pk in statements else page.title,
            # The statement's mention is the site's own words; a title is the page's.
            "is_title": page.pk not in statements,
        }
        for page in pages
    ]


@register.simple_tag(takes_context=True)
def footer_links(context):
    """Links an app asks the footer to show (the satisfaction survey…), registered
    under the `footer_links` hook as `fn(request)` returning [{"url", "label", "page" (optional)}]:
    home names none of them."""
    request = context.get("request")
    return [link for hook in hooks.get_hooks("footer_links") for link in hook(request)]


@register.simple_tag
def site_generation():
    """The number the cached fragments of the site chrome are keyed on."""
    return generation()


@register.simple_tag(takes_context=True)
def home_page(context):
    """The home page in the reader's language."""
    return _home_for(context["request"])


@register.simple_tag
def icon(name, css_class="", label=""):
    """A pictogram of the sprite. Decorative (hidden from screen readers) unless it
    is given a `label`, for the rare pictogram that stands alone for a word."""
    classes = f"icon {css_class}".strip()
    href = f"{static('img/icons.svg')}#{name}"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" focusable="false"><use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>',
        classes,
        href,
    )


@register.filter
def tone(pictogram):
    """The colour a pictogram is shown on, as a CSS class (`tone-green`…)."""
    return f"tone-{tone_of(pictogram)}"


@register.simple_tag(takes_context=True)
def near_me(context):
    """The commune déléguée the visitor chose "près de chez vous", or None."""
    return chosen_commune(context["request"])


@register.inclusion_tag("includes/follow_link.html", takes_context=True)
def follow_link(context, page):
    """The "follow by email" link of a page, from the apps registered under the
    `follow_link` hook (`fn(page, request)` returning {"url", "label"} or None): home
    names none of them. No query: the page cache's budgets hold."""
    request = context.get("request")
    for hook in hooks.get_hooks("follow_link"):
        link = hook(page, request)
        if link:
            return {"link": link}
    return {"link": None}


@register.simple_tag
def description(page):
    """The page's meta description (home.models.page_description)."""
    return page_description(page) if isinstance(page, Page) else ""


@register.simple_tag(takes_context=True)
def lang_of(context, obj):
    """` lang="fr"` for an element showing `obj`'s words when they are not in the
    reader's language (RGAA 8.7), nothing otherwise."""
    request = context.get("request")
    language = content_language(obj, _home_for(request) if request is not None else None)
    if language == get_language():
        return ""
    return format_html(' lang="{}"', language)


@register.filter
def localized(obj):
    """A category's or field of activity's copy in the reader's language, when the team
    translated it (`{% with category=event.category|localized %}`)."""
    return in_reader_language(obj)


@register.inclusion_tag("includes/untranslated_notice.html", takes_context=True)
def untranslated_notice(context):
    """Tells an English reader that the page is shown in French, not translated yet."""
    page = context.get("page")
    if not isinstance(page, Page):
        return {"language": None}
    request = context.get("request")
    language = content_language(page, _home_for(request) if request is not None else None)
    if language == get_language():
        return {"language": None}
    return {"language": language, "language_name": get_language_info(language)["name_translated"]}
