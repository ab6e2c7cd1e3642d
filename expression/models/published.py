"""The published answers as other pages show them: the home page's highlight, an
action page's section, each with its action in the reader's language."""

from django.utils.translation import gettext_lazy as _

from actions.models import ActionPage

from .messages import Submission


def with_action_pages(questions, locale_id):
    """Give each published question `action_page`: its action in the reader's language
    (one query for the lot, not one per question)."""
    questions = list(questions)
    # An action already in the reader's language (French, mostly) needs no query.
    pages = {
        question.action.translation_key: question.action
        for question in questions
        if question.action and question.action.locale_id == locale_id and question.action.live
    }
    keys = {
        question.action.translation_key
        for question in questions
        if question.action and question.action.locale_id != locale_id
    }
    if keys:
        pages |= {
            action.translation_key: action
            for action in ActionPage.objects.live().filter(
                translation_key__in=keys, locale_id=locale_id
            )
        }
    for question in questions:
        question.action_page = (
            pages.get(question.action.translation_key) if question.action else None
        )
    return questions


def home_highlight(home, qa_page, expression_page=None):
    """The home page's highlight: the commune's three latest published answers (the
    questions and answers page, the home page's child, or None), and the quick
    actions of the idea box (`expression_page`): report a problem, propose an idea."""
    items = []
    if qa_page is not None:
        items = with_action_pages(
            Submission.objects.published()
            .select_related("commune", "action")
            .order_by("-published_at", "-pk")[:3],
            home.locale_id,
        )
    quick_actions = []
    if expression_page is not None:
        quick_actions = [
            {
                "label": _("Report a problem"),
                "url": f"{expression_page.url}?type={Submission.Kind.REPORT}",
                "icon": "alert",
            },
            {
                "label": _("Propose an idea"),
                "url": f"{expression_page.url}?type={Submission.Kind.IDEA}",
                "icon": "bulb",
            },
        ]
    return {
        "quick_actions": quick_actions,
        "title": qa_page.title if qa_page else "",
        "template": "expression/includes/highlight_answers.html",
        "items": items,
        "more_url": qa_page.url if qa_page else "",
        "more_label": _("All the questions and answers"),
    }


def action_section(action):
    """The section an action page of the plan shows about citizens' messages (for
    `ActionPage.linked_content`): its published questions and ideas, newest first."""
    items = with_action_pages(
        Submission.objects.published()
        .for_action(action)
        .select_related("commune", "action")
        .order_by("-published_at", "-pk")[:5],
        action.locale_id,
    )
    return {
        "title": _("Your questions and ideas about this action"),
        "template": "expression/includes/action_questions_list.html",
        "items": items,
        # Shown even with no question yet: it invites the reader to ask the first one.
        "always": True,
    }
