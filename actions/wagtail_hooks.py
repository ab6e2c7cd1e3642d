"""The plan in the admin: the explorer lists the actions by number, and finds one by
its number; what the plan shows on the pages of the apps below it (see
`home.models.HomePage.highlights`)."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import ExplorableIndexView, PageListingMixin
from wagtail.admin.viewsets.pages import PageViewSet

from home.search import SearchKind

from .models import ActionIndexPage, ActionPage, home_highlight


class ActionListingView(ExplorableIndexView):
    """The plan's actions in the explorer, with their number first: searching a
    number ("5") finds that action."""

    def search_queryset(self, queryset):
        query = (self.search_query or "").strip().lstrip("#").strip()
        if not (query.isdigit() and len(query) < 5):
            return super().search_queryset(queryset)
        for hook in hooks.get_hooks("construct_explorer_page_queryset"):
            queryset = hook(self.parent_page, queryset, self.request)
        # A number is no word for the search backend: a filter finds it.
        return queryset.filter(number=int(query))


class ActionPageViewSet(PageViewSet):
    model = ActionPage
    index_view_class = ActionListingView
    # The number after the bulk actions' checkbox; no "type" column: all are actions.
    columns = [
        PageListingMixin.base_columns[0],
        Column("number", label=_("No."), sort_key="number", width="6%"),
        *[column for column in PageListingMixin.base_columns[1:] if column.name != "type"],
    ]


@hooks.register("register_admin_viewset")
def register_action_page_viewset():
    return ActionPageViewSet()


@hooks.register("home_page_highlights", order=10)
def latest_actions(home_page, sections, commune=None):
    return home_highlight(home_page, sections.get(ActionIndexPage), commune)


# The home page keeps the section until an action's publication purges this tag.
latest_actions.cache_tags = ("actions",)


@hooks.register("search_page_kinds")
def action_search_kinds():
    return [SearchKind(ActionPage, _("Actions of the plan"), 10)]
