from urllib.parse import urlencode

from django import template

from ..models import ExpressionPage, QuestionsAnswersPage, Submission, with_action_pages

register = template.Library()

ACTION_QUESTIONS_SHOWN = 5


@register.simple_tag(takes_context=True)
def expression_links(context, action):
    """Links from an action page to the questions and answers filtered on it and to
    the form with the action preselected."""
    request = context.get("request")
    query = "?" + urlencode({"action": action.pk})
    qa_page = QuestionsAnswersPage.objects.live().filter(locale_id=action.locale_id).first()
    expression_page = ExpressionPage.objects.live().filter(locale_id=action.locale_id).first()
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
    items = with_action_pages(questions[:ACTION_QUESTIONS_SHOWN], action.locale_id)
    return {"items": items, **expression_links(context, action)}
