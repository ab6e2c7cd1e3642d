"""What the plan's pages render once per publication."""

from django import template
from django.utils.translation import get_language

from home.page_cache import cached_until_published, page_tag

register = template.Library()


class KeptUntilPublishedNode(template.Node):
    def __init__(self, nodelist, name, page, tags):
        self.nodelist = nodelist
        self.name = name
        self.page = page
        self.tags = tags

    def render(self, context):
        page = self.page.resolve(context)
        request = context.get("request")
        # A preview shows a revision under the live page's id: never keep it.
        if getattr(request, "is_preview", False) or not page.pk or not page.live:
            return self.nodelist.render(context)
        tags = {page_tag(page), *(tag.resolve(context) for tag in self.tags)}
        return cached_until_published(
            f"fragment:{self.name.resolve(context)}:{get_language()}:{page.pk}",
            lambda: self.nodelist.render(context),
            tags=sorted(tags),
        )


@register.tag
def kept_until_published(parser, token):
    """{% kept_until_published "name" page ["tag" ...] %}…{% endkept_until_published %}:
    the HTML between, rendered once until `page` (or what one of the tags names) is
    published again, in each language. Only for what depends on nothing else: no
    form, no CSRF token, nothing of the visitor's request or session."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name and a page")
    nodelist = parser.parse(("endkept_until_published",))
    parser.delete_first_token()
    return KeptUntilPublishedNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(bits[2]),
        [parser.compile_filter(bit) for bit in bits[3:]],
    )
