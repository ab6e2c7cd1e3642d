from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wagtail.models import Page

from home.page_cache import cached_until_published

from ..models import ExpressionPage, QuestionsAnswersPage

register = template.Library()


def expression_pages(locale_id):
    """The questions and answers page and the expression page of a language (or
    None), read in one query (their addresses only), the first of each type; kept
    as long as the page cache keeps a page (a first publication of one of them
    purges none of the pages linking to it)."""

    def read():
        pages = {}
        for page in (
            Page.objects.live()
            .filter(locale_id=locale_id)
            .type(QuestionsAnswersPage, ExpressionPage)
            .specific(defer=True)
        ):
            pages.setdefault(type(page), page)
        return pages.get(QuestionsAnswersPage), pages.get(ExpressionPage)

    return cached_until_published(
        f"expression-pages:{locale_id}", read, timeout=settings.PAGE_CACHE_SECONDS
    )


@register.simple_tag(takes_context=True)
def expression_links(context, action):
    """Links from an action page to the questions and answers filtered on it and to
    the form with the action preselected."""
    request = context.get("request")
    query = "?" + urlencode({"action": action.pk})
    qa_page, expression_page = expression_pages(action.locale_id)
    return {
        "more_url": qa_page.get_url(request) + query if qa_page else "",
        "expression_url": expression_page.get_url(request) + query if expression_page else "",
    }


@register.simple_tag(takes_context=True)
def question_card(context, question):
    """expression/includes/question.html for a published `question` (given its
    `action_page`, `with_action_pages`), rendered once in each language until an
    answer or an action is published: the questions and answers page shows ten, an
    action page five."""

    def render():
        card = context.template.engine.get_template("expression/includes/question.html")
        with context.push(question=question):
            return card.render(context)

    action_page = getattr(question, "action_page", None)
    html = cached_until_published(
        f"question-card:{get_language()}:{question.pk}:{action_page.pk if action_page else ''}",
        render,
        tags=("actions", "answers"),
    )
    # The card's HTML, escaped by its template.
    return mark_safe(html)  # noqa: S308
