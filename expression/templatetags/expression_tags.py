from urllib.parse import urlencode

from django import template

from ..models import ExpressionPage, QuestionsAnswersPage, Submission, with_action_pages

register = template.Library()

ACTION_QUESTIONS_SHOWN = 5


@register.simple_tag(takes_context=True)
def action_questions(context, action):
    """An action page's published questions and ideas, with links to all of them in
    the questions and answers and to the form, the action preselected."""
    request = context.get("request")
    questions = (
        Submission.objects.published()
        .for_action(action)
        .select_related("commune", "action")
        .order_by("-published_at", "-pk")
    )
    items = with_action_pages(questions[: ACTION_QUESTIONS_SHOWN + 1], action.locale_id)
    more_url = expression_url = ""
    if len(items) > ACTION_QUESTIONS_SHOWN:
        items = items[:ACTION_QUESTIONS_SHOWN]
        qa_page = QuestionsAnswersPage.objects.live().filter(locale_id=action.locale_id).first()
        if qa_page is not None:
            more_url = qa_page.get_url(request) + "?" + urlencode({"action": action.pk})
    expression_page = ExpressionPage.objects.live().filter(locale_id=action.locale_id).first()
    if expression_page is not None:
        expression_url = expression_page.get_url(request) + "?" + urlencode({"action": action.pk})
    return {"items": items, "more_url": more_url, "expression_url": expression_url}
