from urllib.parse import urlencode

from django import template

from wagtail.models import Page

from ..models import ExpressionPage, QuestionsAnswersPage

register = template.Library()


@register.simple_tag(takes_context=True)
def expression_links(context, action):
    """Links from an action page to the questions and answers filtered on it and to
    the form with the action preselected."""
    request = context.get("request")
    query = "?" + urlencode({"action": action.pk})
    # Both pages in one query (their addresses only), the first of each type.
    pages = {}
    for page in (
        Page.objects.live()
        .filter(locale_id=action.locale_id)
        .type(QuestionsAnswersPage, ExpressionPage)
        .specific(defer=True)
    ):
        pages.setdefault(type(page), page)
    qa_page = pages.get(QuestionsAnswersPage)
    expression_page = pages.get(ExpressionPage)
    return {
        "more_url": qa_page.get_url(request) + query if qa_page else "",
        "expression_url": expression_page.get_url(request) + query if expression_page else "",
    }
