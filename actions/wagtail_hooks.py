"""What the plan shows on the pages of the apps below it (see `home.models.HomePage.highlights`)."""

from wagtail import hooks

from .models import ActionIndexPage, home_highlight


@hooks.register("home_page_highlights", order=10)
def latest_actions(home_page, sections, commune=None):
    return home_highlight(home_page, sections.get(ActionIndexPage), commune)
