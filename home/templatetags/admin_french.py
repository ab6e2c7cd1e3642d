from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def editor_guide_url():
    """The editor's guide in French: the site's own (home/admin_views.editor_guide)
    unless settings.EDITOR_GUIDE_URL names another. Wagtail's tag links to its English
    guide."""
    return settings.EDITOR_GUIDE_URL or reverse("editor_guide")
