"""The admin offers the French page: the site is written in French, and its English
copies are made and reached through wagtail-localize's translation tools. Every
chooser, choice field and listing of the admin that shows translatable things (pages,
themes) keeps to the site's default language with these helpers, so an editor never
meets each action twice."""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale, Page, TranslatableMixin

from .page_cache import cached_until_published


def default_locale():
    return Locale.get_default()


def in_default_locale(queryset):
    """`queryset` (of a translatable model) in the site's default language."""
    return queryset.filter(locale=default_locale())


def locale_asked(request):
    """The language a listing of the admin shows: the one asked with `?locale=en`
    (the language menus of Wagtail's choosers), the site's language otherwise."""
    language = request.GET.get("locale")
    locale = Locale.objects.filter(language_code=language).first() if language else None
    return locale or default_locale()


def default_locale_copy(instance):
    """The copy of a translatable page or snippet in the site's default language
    (itself when it is one, or when it was never translated from one)."""
    locale = default_locale()
    if instance.locale_id == locale.pk:
        return instance
    return instance.get_translation_or_none(locale) or instance


def chosen_ids(value):
    """The ids in a form's initial value: one object or id, or several."""
    if value is None or value == "":
        return []
    if isinstance(value, (str, int)) or hasattr(value, "pk"):
        value = [value]
    return [getattr(item, "pk", item) for item in value]


class DefaultLocaleChoicesMixin:
    """For a model form of the admin: its choice fields of translatable things
    (actions of the plan, themes, missions, associations) offer the French copies
    only. A value already chosen stays valid, so that a form saved before this rule
    does not refuse its own content."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not issubclass(queryset.model, TranslatableMixin):
                continue
            chosen = chosen_ids(self.initial.get(name))
            field.queryset = queryset.filter(Q(locale=default_locale()) | Q(pk__in=chosen))


class DefaultLocalePageForm(DefaultLocaleChoicesMixin, WagtailAdminPageForm):
    pass


def content_language(obj, home=None):
    """The language `obj`'s words are written in. An English alias shows its French
    page's content (wagtail-localize keeps one for every page not yet translated);
    a translatable page or snippet speaks its locale's language; everything else the
    team or a citizen types, with no locale (the names of themes given as text, the
    commune's settings, published questions), is written in the site's language,
    French."""
    default = settings.LANGUAGE_CODE
    if isinstance(obj, Page) and obj.alias_of_id:
        return default
    locale_id = getattr(obj, "locale_id", None)
    if locale_id is None:
        return default
    # `home`, the reader's home page, is read for the header already: a page or
    # snippet of its locale needs no query.
    if home is not None and home.locale_id == locale_id:
        return home.locale.language_code
    # The locales' languages, read once per generation (a new locale starts one) and
    # kept in the worker's memory: a list of options, each of its own locale, costs
    # no query and no cache read.
    return _languages_by_locale().get(locale_id, default)


def _languages_by_locale():
    return cached_until_published(
        "locale-languages", lambda: dict(Locale.objects.values_list("pk", "language_code"))
    )


def in_reader_language(obj, language=None):
    """The copy of a translatable snippet (an event category, a field of activity) in
    the reader's language, or `obj` itself when it has none: pages and filters point
    at the French row, and show its translation where one exists. `lang_of` then marks
    the words of an untranslated one as French. Costs no query: each language's copies
    are read once per generation (a snippet saved starts a new one)."""
    if obj is None or isinstance(obj, Page) or not isinstance(obj, TranslatableMixin):
        return obj
    locale_id = _locales_by_language().get(language or get_language())
    if locale_id is None or obj.locale_id == locale_id:
        return obj
    return _copies_in(type(obj), locale_id).get(obj.translation_key, obj)


def _locales_by_language():
    return {language: pk for pk, language in _languages_by_locale().items()}


def _copies_in(model, locale_id):
    return cached_until_published(
        f"copies-in-locale:{model._meta.label_lower}:{locale_id}",
        lambda: {
            row.translation_key: row for row in model._default_manager.filter(locale_id=locale_id)
        },
    )
