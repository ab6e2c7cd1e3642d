from urllib.parse import urlencode

from django import template

from wagtail.models import Page

from ..models import ExpressionPage, QuestionsAnswersPage, Submission

register = template.Library()

ACTION_QUESTIONS_SHOWN = 5


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


@register.simple_tag(takes_context=True)
def action_questions(context, action):
    """An action page's published questions and ideas, with those links."""
    questions = (
        Submission.objects.published()
        .for_action(action)
        .select_related("commune", "action")
        .order_by("-published_at", "-pk")
    )
    items = list(questions[:ACTION_QUESTIONS_SHOWN])
    for question in items:  # all about this action, shown in the reader's language
        question.action_page = action
    return {"items": items, **expression_links(context, action)}
