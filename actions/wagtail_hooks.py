"""What the plan shows on the pages of the apps below it (see `home.models.HomePage.highlights`)."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from home.search import SearchKind

from .models import ActionIndexPage, ActionPage, home_highlight


@hooks.register("home_page_highlights", order=10)
def latest_actions(home_page, sections, commune=None):
    return home_highlight(home_page, sections.get(ActionIndexPage), commune)


@hooks.register("search_page_kinds")
def action_search_kinds():
    return [SearchKind(ActionPage, _("Actions of the plan"), 10)]
