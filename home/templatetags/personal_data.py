from django import template
from django.apps import apps

register = template.Library()


@register.simple_tag
def retention_of(model_label):
    """How long a model's processing keeps personal data ("1 an"), read from the
    register the purge applies, so a form's notice cannot drift from what is done."""
    return apps.get_model(model_label).personal_data.retention_display()
