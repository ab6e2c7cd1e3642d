"""The published answers as other pages show them: the home page's highlight, an
action page's section, each with its action in the reader's language; and the site
search's group of answers."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPage
from home.page_cache import cached_until_published
from home.search import RESULTS_PER_GROUP, SearchGroup, SearchResult, fold, folded_matches

from .messages import Submission
from .pages import QuestionsAnswersPage


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
            Submission.objects.for_public_pages()
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
        "page": qa_page,
        "template": "expression/includes/highlight_answers.html",
        "items": items,
        "more_url": qa_page.url if qa_page else "",
        "more_label": _("All the questions and answers"),
    }


def action_section(action):
    """The section an action page of the plan shows about citizens' messages (for
    `ActionPage.linked_content`): its published questions and ideas, newest first."""
    items = list(
        Submission.objects.for_public_pages()
        .for_action(action)
        .select_related("commune")
        .order_by("-published_at", "-pk")[:5]
    )
    # Each card links to the action: the address and number of the page shown, not
    # the page itself (its text, steps and measurements, 15 KB kept with each card).
    link = (
        ActionPage(
            id=action.pk,
            url_path=action.url_path,
            locale_id=action.locale_id,
            translation_key=action.translation_key,
            number=action.number,
            title=action.title,
            live=action.live,
        )
        if action.live
        else None
    )
    for item in items:
        item.action_page = link
    return {
        "title": _("Your questions and ideas about this action"),
        "template": "expression/includes/action_questions_list.html",
        "items": items,
        # Shown even with no question yet: it invites the reader to ask the first one.
        "always": True,
    }


# How many published answers the site's search reads, newest first: all of them for
# years at the commune's pace (a few a week), matched in Python by the same French
# stems as the pages (home/search.py), on every database.
SEARCHED_ANSWERS = 1000


def searched_answers():
    """The published answers the search looks in, newest first, as (pk, title,
    answer, folded text): read and folded once per publication of an answer (the
    "answers" tag), not at each search. A shared value: never mutated."""

    def read():
        answers = (
            Submission.objects.published()
            .only("pk", "public_title", "public_question", "answer", "published_at")
            .order_by("-published_at", "-pk")[:SEARCHED_ANSWERS]
        )
        return tuple(
            (
                answer.pk,
                answer.public_title,
                answer.answer,
                fold(f"{answer.public_title} {answer.public_question} {answer.answer}"),
            )
            for answer in answers
        )

    return cached_until_published("search-answers", read, tags=("answers",))


def search_answers(terms, locale):
    """The site search's group of published questions and answers matching `terms`
    (for the `search_other_content` hook), linked to the questions page."""
    if not terms:
        return None
    # Kept as long as the page cache keeps a page: its first publication purges
    # none of the searches.
    qa_url = cached_until_published(
        f"search-qa-url:{locale.pk}",
        lambda: getattr(
            QuestionsAnswersPage.objects.live()
            .public()
            .filter(locale=locale)
            .order_by("path")
            .first(),
            "url",
            "",
        ),
        timeout=settings.PAGE_CACHE_SECONDS,
    )
    if not qa_url:
        return None
    group = SearchGroup(label=_("Published questions and answers"), order=50)
    for pk, title, answer, folded in searched_answers():
        if not folded_matches(folded, terms):
            continue
        group.total += 1
        if len(group.results) < RESULTS_PER_GROUP:
            group.results.append(
                SearchResult(
                    title=title,
                    url=f"{qa_url}?{urlencode({'q': title})}#question-{pk}",
                    summary=Truncator(answer).words(30),
                )
            )
    return group
