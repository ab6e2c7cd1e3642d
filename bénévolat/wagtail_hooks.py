from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import VolunteeringGroup
from .models import ActivityField


class ActivityFieldViewSet(SnippetViewSet):
    model = ActivityField
    menu_label = _("Fields of activity")
    icon = "tag"
    list_display = ["name", "slug"]
    ordering = ["sort_order", "name"]


register_snippet(ActivityFieldViewSet)


@hooks.register("register_admin_viewset")
def register_volunteering_admin():
    return VolunteeringGroup()
