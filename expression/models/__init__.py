"""Citizen expression (plan actions 5 and 29): what citizens send the commune through
the expression page, how the staff process and answer it, and the answers published
in the questions-and-answers page; plus the form pages the team builds itself.

One module per domain; the public API is gathered here, so that
`from expression.models import X` does not depend on where X lives.
"""

# Imported in the order the models were declared when they shared one module: it is
# the order Django registers them in, and so that of their content types and
# permissions and of the page types Wagtail offers.
from .messages import (
    MESSAGE_RETENTION,
    PERSONAL_DATA_RETENTION,
    AnswerTemplate,
    Service,
    Submission,
    SubmissionQuerySet,
)
from .pages import INTRO_FEATURES, ExpressionPage, QuestionsAnswersPage

# isort: split
from .form_pages import FORM_RETENTION_DAYS, FormField, FormPage
from .published import action_section, home_highlight, search_answers, with_action_pages

__all__ = [
    "FORM_RETENTION_DAYS",
    "INTRO_FEATURES",
    "MESSAGE_RETENTION",
    "PERSONAL_DATA_RETENTION",
    "AnswerTemplate",
    "ExpressionPage",
    "FormField",
    "FormPage",
    "QuestionsAnswersPage",
    "Service",
    "Submission",
    "SubmissionQuerySet",
    "action_section",
    "home_highlight",
    "search_answers",
    "with_action_pages",
]
