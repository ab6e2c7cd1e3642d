"""What the commune publishes of its answers: the questions and answers page with its
filters and pages, an action page's questions in both languages, the latest answers
on the home page; what a citizen typed is shown as text, never run."""

import pickle

from django.test import RequestFactory

import pytest

from expression.models import action_section
from home.models import Commune
from tests import factories
from tests.factories import expression as expression_factories
from tests.factories.actions import action_page
from tests.factories.expression import action_questions_html

pytestmark = pytest.mark.django_db


def test_the_questions_and_answers_filter_by_kind_commune_action_and_words(client, home, qa_page):
    corne = Commune.objects.get(slug="corne")
    andard = Commune.objects.get(slug="andard")
    action = action_page(home, number=8)
    expression_factories.PublishedSubmissionFactory(
        kind="idea", public_title="Bacs potagers partagés", commune=corne, action=action
    )
    expression_factories.PublishedSubmissionFactory(
        kind="question", public_title="Horaires de la déchèterie", commune=andard
    )
    expression_factories.SubmissionFactory(subject="Non publié")

    def titles(**params):
        response = client.get(qa_page.url, params)
        assert response.status_code == 200
        return [question.public_title for question in response.context["questions"]]

    assert sorted(titles()) == ["Bacs potagers partagés", "Horaires de la déchèterie"]
    assert titles(type="idea") == ["Bacs potagers partagés"]
    assert titles(commune=andard.pk) == ["Horaires de la déchèterie"]
    assert titles(action=action.pk) == ["Bacs potagers partagés"]
    assert titles(q="HORAIRES de la déchèterie") == ["Horaires de la déchèterie"]
    assert client.get(qa_page.url, {"q": "x" * 5000}).status_code == 200
    assert client.get(qa_page.url, {"type": "<script>", "page": "-1"}).status_code == 200
    assert "2 questions ont reçu une réponse" in client.get(qa_page.url).text


def test_the_questions_and_answers_are_paginated_with_a_steady_number_of_queries(
    client, home, qa_page, django_assert_max_num_queries, rendered_each_time
):
    action = action_page(home, number=5)
    expression_factories.PublishedSubmissionFactory.create_batch(2, action=action)
    client.get(qa_page.url)  # the site's caches (root paths, settings) warm up
    with django_assert_max_num_queries(40) as small:
        client.get(qa_page.url)
    small_count = len(small.captured_queries)
    expression_factories.PublishedSubmissionFactory.create_batch(25, action=action)
    client.get(qa_page.url)  # publishing emptied the caches
    with django_assert_max_num_queries(small_count) as large:
        response = client.get(qa_page.url)
    assert len(response.context["questions"]) == 10
    assert "Page 1 sur 3" in response.text
    assert len(large.captured_queries) <= small_count
    assert client.get(qa_page.url, {"page": "3"}).status_code == 200


def test_an_action_page_shows_its_published_questions_in_both_languages(home, english):
    action = action_page(home, number=8)
    other = action_page(home, number=9)
    expression_page = expression_factories.expression_page(home)
    expression_factories.PublishedSubmissionFactory(
        public_title="Bacs potagers partagés", action=action
    )
    expression_factories.PublishedSubmissionFactory(public_title="Autre action", action=other)
    expression_factories.SubmissionFactory(subject="Pas encore répondu", action=action)
    request = RequestFactory().get("/")

    html = action_questions_html(action, request)
    assert "Bacs potagers partagés" in html
    assert "Autre action" not in html
    assert "Pas encore répondu" not in html
    assert f"{expression_page.url}?action={action.pk}" in html

    alias = factories.translate(action)
    english_html = action_questions_html(alias, request)
    assert "Bacs potagers partagés" in english_html

    # The action page lists it among the sections other apps register (none of its
    # events or missions here), and shows it even before any question is published.
    section = action_section(action)
    assert [listed["template"] for listed in action.linked_content()] == [section["template"]]
    empty = action_questions_html(action_page(home, number=12), request)
    assert "Aucune question ni idée sur cette action n'a encore été publiée." in empty


def test_an_action_pages_kept_section_holds_no_citizens_words_nor_names(home):
    """The section is kept in the shared cache (Redis) with the action page: the cards
    it lists carry the published title, question and answer, never what the citizen
    wrote nor who they are (the register of personal data keeps those to the staff)."""
    action = action_page(home, number=8)
    expression_factories.PublishedSubmissionFactory(
        action=action,
        public_title="Bacs potagers partagés",
        subject="Mes voisins et moi",
        message="J'habite au 3 rue des Lilas, mon voisin fait du bruit.",
        name="Jeanne Martin",
        email="jeanne.martin@example.org",
    )

    (section,) = action.linked_content()
    kept = pickle.dumps(section)
    assert "Bacs potagers partagés".encode() in kept
    for private in ("Mes voisins", "rue des Lilas", "Jeanne Martin", "jeanne.martin@"):
        assert private.encode() not in kept
    # The card links to the action by its address and number: not its whole page.
    assert len(kept) < 5_000
    card = action_questions_html(action, RequestFactory().get("/"))
    assert f'href="{action.url}">Action 8</a>' in card


def test_the_home_page_shows_the_latest_answers(client, home, qa_page):
    expression_factories.PublishedSubmissionFactory(public_title="Réouverture de la piscine")
    html = client.get("/").text
    assert "Réouverture de la piscine" in html
    assert "Toutes les questions et réponses" in html


def test_html_and_scripts_typed_by_a_citizen_are_shown_as_text(client, qa_page):
    expression_factories.PublishedSubmissionFactory(
        public_title="<script>alert('titre')</script>",
        public_question='<img src=x onerror="alert(1)">',
        answer="<b>Réponse</b>",
    )
    html = client.get(qa_page.url).text
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;Réponse&lt;/b&gt;" in html
