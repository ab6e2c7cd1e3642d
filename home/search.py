"""The site's search: French words found whatever their accents, their plural or
their ending ("bénévolat" finds "bénévoles", "cérémonie" finds "cérémonies"), on
PostgreSQL and SQLite alike, with the results grouped by kind.

Each word typed is reduced to a short stem (`french_stem`), looked up as a prefix of
the indexed words by both databases' full-text search (`home.search_backend`), and
in the published answers, which are not pages (`search_other_content` hook).

Home names no page type of the other apps: each app registers its kinds of result
through Wagtail hooks:
- `search_page_kinds`: fn() → [SearchKind(model, label, order)], the page types
  grouped under their own heading (a subclass goes with its parent: a ceremony is an
  event); every other page is listed under "Pages";
- `search_other_content`: fn(terms, locale) → SearchGroup or None, a group of
  results that are not pages.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.models import Page

from .page_cache import ANY, cached_until_published

# French endings, longest first: what is left is the stem shared by a word's
# plural, feminine and derived forms ("bénévol" for bénévole, bénévoles, bénévolat).
SUFFIXES = (
    "issements",
    "issement",
    "atrices",
    "ations",
    "ateurs",
    "ements",
    "atrice",
    "ation",
    "ateur",
    "ement",
    "euses",
    "ismes",
    "istes",
    "ables",
    "iques",
    "ments",
    "euse",
    "eurs",
    "isme",
    "iste",
    "able",
    "ique",
    "ites",
    "ment",
    "eaux",
    "aux",
    "eur",
    "ite",
    "ats",
    "ees",
    "es",
    "ee",
    "at",
    "e",
    "s",
    "x",
)
MIN_STEM = 4  # shorter, a prefix would match too much ("fe" for fête, février…)
WORD = re.compile(r"\w+", re.UNICODE)
RESULTS_PER_GROUP = 20


def fold(text):
    """Lower case, without accents: "Cérémonie" → "ceremonie"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def french_stem(word):
    """The stem of one word, without accents: "cérémonies" → "ceremoni",
    "bénévolat" → "benevol", "travaux" → "trav". A short word is kept whole."""
    word = fold(word)
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


# French function words, as PostgreSQL's `french` configuration leaves them out of its
# index: looked up, they would match nothing there, and a title typed in full ("Fête
# de la Loire à Corné") would find nothing; left out on SQLite too, so that both
# databases answer alike.
STOP_WORDS = set(
    [
        "a",
        "au",
        "aux",
        "avec",
        "c",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "j",
        "je",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
    ]
)


def search_terms(query):
    """The words of a query, as (stem, is_prefix): a stem long enough is looked up as
    the beginning of words, a short word as a whole word. Function words are left
    out, unless the query holds nothing else."""
    terms = []
    for word in query_words(query):
        stem = french_stem(word)
        terms.append((stem, len(stem) >= MIN_STEM))
    return terms


def query_words(query):
    """The query's words, function words left out unless it holds nothing else."""
    words = WORD.findall(query)
    return [word for word in words if fold(word) not in STOP_WORDS] or words


def text_matches(text, terms):
    """Whether `text` holds every term (the same rule as the databases' search)."""
    # The folded words are enough: our stem of a word is the beginning of the word
    # (or the word itself when it is too short to cut), so a word whose stem starts
    # with a term starts with it too. The site search reads up to a thousand answers
    # this way: a term missing from the whole text skips the text at once.
    return folded_matches(fold(text), terms)


def folded_matches(folded, terms):
    """`text_matches` for a text already folded (`fold`), kept folded by a caller
    that looks in the same texts again and again."""
    if any(stem not in folded for stem, _prefix in terms):
        return False
    words = set(WORD.findall(folded))
    return all(
        any(word.startswith(stem) if prefix else word == stem for word in words)
        for stem, prefix in terms
    )


@dataclass(frozen=True)
class SearchKind:
    model: type
    label: str
    order: int


@dataclass
class SearchResult:
    title: str
    url: str
    summary: str = ""
    detail: str = ""


@dataclass
class SearchGroup:
    label: str
    order: int
    results: list = field(default_factory=list)
    total: int = 0
    slug: str = ""


def page_kinds():
    kinds = []
    for fn in hooks.get_hooks("search_page_kinds"):
        kinds.extend(fn())
    # The most specific class first, so that a subclass registered on its own wins.
    return sorted(kinds, key=lambda kind: -len(kind.model.__mro__))


def page_summary(page):
    for name in ("search_description", "summary", "intro", "presentation"):
        value = getattr(page, name, "")
        if value:
            return Truncator(strip_tags(str(value))).words(30)
    return ""


def group_pages(pages, request=None):
    """Pages grouped by their registered kind, the others under "Pages". With the
    request, the site's root paths are read once for all their addresses. The pages
    are of their own type without their own fields (`specific(defer=True)`): the
    summaries of those shown are read apart (`summaries`)."""
    kinds = page_kinds()
    groups = {}
    shown = []
    for page in pages:
        kind = next((kind for kind in kinds if isinstance(page, kind.model)), None)
        label, order = (kind.label, kind.order) if kind else (_("Pages"), 100)
        group = groups.setdefault(label, SearchGroup(label=label, order=order))
        group.total += 1
        if len(group.results) < RESULTS_PER_GROUP:
            result = SearchResult(title=page.title, url=page.get_url(request))
            group.results.append(result)
            shown.append((result, page))
    found = summaries([page for _result, page in shown])
    for result, page in shown:
        result.summary = found[page.pk]
    return list(groups.values())


def summaries(pages):
    """{id: summary} of the pages shown, their own fields read once per type, and
    kept until the next change anywhere (a search may show any page): the same
    search shows the same pages."""
    if not pages:
        return {}

    def read():
        specific = {}
        for page in Page.objects.filter(pk__in=[page.pk for page in pages]).specific():
            specific[page.pk] = page
        return {page.pk: page_summary(specific[page.pk]) for page in pages}

    keys = ",".join(str(page.pk) for page in pages)
    return cached_until_published(
        f"search-summaries:{get_language()}:{hashlib.sha256(keys.encode()).hexdigest()[:24]}",
        read,
        # Any change purges this tag, as it does the search's cached pages.
        tags=(ANY,),
    )


def other_groups(terms, locale):
    groups = []
    for fn in hooks.get_hooks("search_other_content"):
        group = fn(terms, locale)
        if group is not None and group.total:
            groups.append(group)
    return groups


def grouped_results(pages, terms, locale, request=None):
    groups = group_pages(pages, request) + other_groups(terms, locale)
    groups.sort(key=lambda group: group.order)
    for number, group in enumerate(groups, start=1):
        group.slug = f"resultats-{number}"
    return groups
