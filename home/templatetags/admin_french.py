from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def editor_guide_url():
    """The editor's guide in French (Wagtail's tag links to the English guide)."""
    return settings.EDITOR_GUIDE_URL
