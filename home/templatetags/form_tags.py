from django import template

register = template.Library()


@register.filter
def error_anchor(field):
    """The id an error of `field` links to: the field itself, or, for a group of
    radios or checkboxes (which has no element of its own), its first choice."""
    subwidgets = field.subwidgets
    if len(subwidgets) > 1 or field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return subwidgets[0].id_for_label if subwidgets else field.auto_id
    return field.id_for_label or field.auto_id
