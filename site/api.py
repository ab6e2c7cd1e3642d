"""Wagtail's read-only API v2, for the citizen app the plan foresees (action 29)."""

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

    def check_query_parameters(self, queryset):
        # PostgreSQL refuses NUL bytes in text: a search or filter with one is refused here.
        if any("\x00" in value for _key, values in self.request.GET.lists() for value in values):
            raise BadRequestError(_("parameters cannot contain NUL characters"))
        super().check_query_parameters(queryset)

    def get_base_queryset(self):
        # Wagtail leaves out the pages under a restriction, not their copies in the
        # other languages: the condition of the pages' `visible_to_public()` does.
        return super().get_base_queryset().exclude(private_pages_q())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
