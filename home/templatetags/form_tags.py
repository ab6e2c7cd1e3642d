from django import template

register = template.Library()

# Widgets that are a group of inputs, with no element of their own to point at.
GROUPS = {"radioselect", "checkboxselectmultiple"}


@register.filter
def error_anchor(field):
    """The id an error of `field` links to: the field itself, or, for a group of
    radios or checkboxes, its first choice."""
    if field.widget_type in GROUPS:
        subwidgets = field.subwidgets
        if subwidgets:
            return subwidgets[0].id_for_label
    return field.id_for_label or field.auto_id
