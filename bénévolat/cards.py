"""The cards of the missions and associations listings, rendered once per
publication: a listing page showed a dozen of them, each read and rendered again
at every visit (its association, its commune, its places left, its logo).

A card is kept under the tags of what it shows ("missions" for a mission card: a
published mission or association purges it, and so does a request filling the
last place; "associations" for an association card); what has no tag (a commune,
a field of activity, a logo, the settings) turns over the site's generation, which
every key names. The cards hold no form and nothing of the visitor."""

from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from wagtail.models import Site

from home.page_cache import cached_until_published


def _site_id(request):
    # Links and `lang` attributes of a card are written for the request's site.
    site = Site.find_for_request(request)
    return site.pk if site else None


def filtered_pks(listing, filters, read, *, typed):
    """The pks `read()` gives for a listing's `filters`, in order, kept per set of
    filters until the listing's tags are purged (a mission or an association
    published). A filter the visitor types freely (`typed`: a date, words) makes too
    many sets to be worth keeping."""
    if filters[typed]:
        return read()
    key = ":".join(str(value.pk if hasattr(value, "pk") else value) for value in filters.values())
    return cached_until_published(
        f"benevolat-{listing._meta.model_name}-pks:{listing.pk}:{key}",
        read,
        tags=listing.cache_tags,
    )


def ordered(objects, pks):
    """`objects` in the order of `pks` (a row gone since is left out)."""
    by_pk = {obj.pk: obj for obj in objects}
    return [by_pk[pk] for pk in pks if pk in by_pk]


class Cards:
    """The cards of `pks`, in their order, and the objects themselves read lazily
    (in one query, only when a card is not kept or the caller reads them)."""

    def __init__(self, request, pks, *, load, template, name, tags, context=None):
        self.request = request
        self.pks = list(pks)
        self.template = template
        self.name = name
        self.tags = tags
        self.context = context or {}
        self._load = load
        self.objects = SimpleLazyObject(lambda: ordered(self._load(self.pks), self.pks))

    def _render(self, obj):
        context = {**self.context, self.name: obj}
        return render_to_string(self.template, context, request=self.request)

    def html(self):
        """The cards' HTML, in order."""
        objects = None
        key = f"{self.template}:{get_language()}:{_site_id(self.request)}"
        extra = ":".join(f"{name}={value}" for name, value in sorted(self.context.items()))
        cards = []
        for index, pk in enumerate(self.pks):

            def render(index=index):
                nonlocal objects
                if objects is None:  # every card of the page in one query
                    objects = {obj.pk: obj for obj in self.objects}
                obj = objects.get(self.pks[index])
                return "" if obj is None else self._render(obj)

            cards.append(cached_until_published(f"card:{key}:{extra}:{pk}", render, tags=self.tags))
        return cards
