"""Wagtail's read-only API v2, for the citizen app the plan foresees (action 29)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from home.models import private_pages_q

# Far beyond any page count, well within what PostgreSQL accepts as an OFFSET.
MAX_OFFSET = 1_000_000


class BoundedPagination(WagtailPagination):
    """Wagtail's pagination, with an offset past PostgreSQL's integers refused as a
    bad request instead of failing in the database."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(_("offset cannot be higher than %d") % MAX_OFFSET)
        return super().paginate_queryset(queryset, request, view)


class PagesEndpoint(PagesAPIViewSet):
    pagination_class = BoundedPagination

    def initial(self, request, *args, **kwargs):
        # PostgreSQL refuses NUL bytes in text: a parameter with one is refused before
        # any view reads it (the site, the path to find, a search, a filter).
        if any("\x00" in value for _key, values in request.GET.lists() for value in values):
            raise BadRequestError(_("parameters cannot contain NUL characters"))
        super().initial(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        # Wagtail's filters let a value of the wrong type through (a date that is not
        # one, an unknown search operator): the field or the search backend then fails.
        try:
            return super().filter_queryset(queryset)
        except (ValidationError, ValueError, OverflowError) as error:
            raise BadRequestError(_("a parameter's value is not valid")) from error

    def get_base_queryset(self):
        # Wagtail leaves out the pages under a restriction, not their copies in the
        # other languages: the condition of the pages' `visible_to_public()` does.
        return super().get_base_queryset().exclude(private_pages_q())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
