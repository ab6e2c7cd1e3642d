"""Panels of the admin's dashboard that the apps fill: home knows none of them. Each
app adds its own through Wagtail's `construct_homepage_panels` hook, in its
wagtail_hooks.py, for the people whose work it holds."""

from wagtail.admin.ui.components import Component


class CountsPanel(Component):
    """What waits for the user in one part of the admin: rows of a label, how many,
    and the listing filtered to them."""

    template_name = "home/admin/counts_panel.html"

    class Media:
        css = {"all": ["css/admin-dashboard.css"]}

    def __init__(self, heading, rows, order=100, name="counts", intro=""):
        self.heading = heading
        self.rows = rows
        self.order = order
        self.name = name
        self.intro = intro

    def get_context_data(self, parent_context=None):
        return {
            "heading": self.heading,
            "intro": self.intro,
            "panel_id": f"dashboard-{self.name}",
            "rows": [
                {"label": label, "count": count, "url": url} for label, count, url in self.rows
            ],
        }
