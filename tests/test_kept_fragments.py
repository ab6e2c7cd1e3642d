"""What an action page, the questions and answers and the search make once per
publication (issue 16) shows each publication at once, and never in a preview."""

import pytest

from tests.factories import actions, events, expression
from tests.factories.events import dates, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(home):
    plan = actions.action_plan(home)
    expression.questions_answers_page(home)
    page = actions.ActionPageFactory(
        parent=plan,
        title="Créer un conseil des jeunes",
        indicators=[actions.indicator(name="Jeunes élus", values=[4, 9])],
    )
    page.refresh_from_db()
    return page


def test_an_action_page_shows_its_new_publication_at_once(client, rendered_each_time, action):
    assert "Jeunes élus" in client.get(action.url).text

    action.steps = actions.steps("done")
    action.indicators = [actions.indicator(name="Conseillers jeunes", values=[4, 9, 12])]
    action.save_revision().publish()

    html = client.get(action.url).text
    assert "Conseillers jeunes" in html
    assert "Jeunes élus" not in html
    assert "Étape 1" in html


def test_a_preview_shows_the_draft_not_the_live_page(client, rendered_each_time, action):
    client.get(action.url)
    action.indicators = [actions.indicator(name="Conseillers jeunes", values=[4])]
    draft = action.save_revision().as_object()

    html = draft.make_preview_request().content.decode()
    assert "Conseillers jeunes" in html
    assert "Jeunes élus" not in html
    # The live page stays as it was published.
    assert "Jeunes élus" in client.get(action.url).text


def test_an_answer_shows_at_once_on_its_action_the_questions_and_the_search(
    client, settings, action, home
):
    settings.PAGE_CACHE_SECONDS = 300  # the sections are kept as long as the pages
    qa_page = expression.questions_answers_page(home)
    answer = expression.PublishedSubmissionFactory(
        action=action, public_title="Un conseil pour quel âge ?", answer="De 11 à 17 ans."
    )
    for url in (action.url, qa_page.url, "/recherche/?q=conseil"):
        assert "Un conseil pour quel âge ?" in client.get(url).text

    answer.answer = "De 12 à 18 ans, élus pour deux ans."
    answer.save()
    for url in (action.url, qa_page.url, "/recherche/?q=conseil"):
        assert "De 12 à 18 ans" in client.get(url).text

    expression.PublishedSubmissionFactory(public_title="Inscriptions au conseil municipal")
    assert "Inscriptions au conseil municipal" in client.get("/recherche/?q=conseil").text


def test_an_event_shows_at_once_on_its_action(client, settings, action, home):
    settings.PAGE_CACHE_SECONDS = 300
    assert "Élection du conseil" not in client.get(action.url).text

    event = events.EventPageFactory(
        parent=events.agenda(home), title="Élection du conseil", occurrences=dates(in_days(5))
    )
    event.related_actions.set([action])
    event.save_revision().publish()
    assert "Élection du conseil" in client.get(action.url).text


def test_a_new_action_shows_in_the_questions_filter(client, rendered_each_time, action, home):
    qa_page = expression.questions_answers_page(home)
    assert "Créer un conseil des jeunes" in client.get(qa_page.url).text

    other = actions.ActionPageFactory(parent=actions.action_plan(home), title="Planter des haies")
    other.save_revision().publish()
    assert "Planter des haies" in client.get(qa_page.url).text
