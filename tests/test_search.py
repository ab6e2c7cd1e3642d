"""A citizen searches the site: French words are found whatever their accents, their
plural or their ending, on SQLite as on PostgreSQL; results come grouped by kind
(actions, events, missions, associations, published answers, other pages); a search
that finds nothing offers another spelling and the site's main sections."""

import re

import pytest

from tests.factories import benevolat as bf
from tests.factories import expression as ef
from tests.factories.events import EventPageFactory, dates, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def findable(home, index, listing, expression_page, qa_page):
    bf.MissionPageFactory(
        parent=listing,
        title="Accompagner les sorties du club",
        description="<p>Nous cherchons des bénévoles pour encadrer les randonnées.</p>",
    )
    EventPageFactory(
        parent=index,
        title="Rendez-vous de décembre",
        intro="Une soirée pour fêter la nouvelle année.",
        body=[("paragraph", "<p>Les cérémonies citoyennes de la commune réunies.</p>")],
        occurrences=dates(in_days(12)),
    )
    ef.PublishedSubmissionFactory(
        public_title="Horaires d'hiver",
        public_question="La déchetterie ouvre-t-elle le samedi ?",
        answer="Oui : les composteurs partagés sont installés près de la déchetterie.",
    )


def groups(client, query):
    """{heading: [result titles]} of the search page."""
    html = client.get("/recherche/", {"q": query}).text
    found = {}
    for section in html.split('<section class="search-group"')[1:]:
        heading = re.search(r"<h2[^>]*>([^<]+?)\s*<span", section).group(1)
        found[heading] = re.findall(r'<h3><a href="[^"]+">(?:<span[^>]*>)?([^<]+)', section)
    return found


@pytest.mark.parametrize(
    ("query", "kind", "title"),
    [
        # A word of the body, singular or plural, with or without accents.
        ("bénévole", "Missions de bénévolat", "Accompagner les sorties du club"),
        ("bénévoles", "Missions de bénévolat", "Accompagner les sorties du club"),
        ("bénévolat", "Missions de bénévolat", "Accompagner les sorties du club"),
        ("randonnee", "Missions de bénévolat", "Accompagner les sorties du club"),
        ("cérémonie", "Agenda", "Rendez-vous de décembre"),
        ("cérémonies", "Agenda", "Rendez-vous de décembre"),
        ("Ceremonie citoyenne", "Agenda", "Rendez-vous de décembre"),
        ("composteur", "Questions et réponses publiées", "Horaires d&#x27;hiver"),
        ("déchetteries", "Questions et réponses publiées", "Horaires d&#x27;hiver"),
    ],
)
def test_a_word_of_the_body_finds_its_page_singular_or_plural(client, findable, query, kind, title):
    assert title in groups(client, query).get(kind, [])


def test_results_are_grouped_by_kind_with_their_count(client, findable):
    html = client.get("/recherche/", {"q": "hiver"}).text
    assert "1 résultat pour" in html
    assert groups(client, "hiver") == {"Questions et réponses publiées": ["Horaires d&#x27;hiver"]}

    html = client.get("/recherche/", {"q": "club"}).text  # a mission and its page
    found = groups(client, "club")
    assert found["Missions de bénévolat"] == ["Accompagner les sorties du club"]


def test_an_unpublished_answer_is_never_found(client, findable):
    ef.SubmissionFactory(
        subject="Composteur cassé",
        message="Le composteur de la rue des Lilas est cassé.",
        public_title="Composteur de la rue des Lilas",
        public_question="Le composteur est cassé.",
        answer="Réparé.",
        is_published=False,
    )
    answers = groups(client, "composteur").get("Questions et réponses publiées", [])
    assert answers == ["Horaires d&#x27;hiver"]


def test_a_search_with_no_result_offers_another_spelling_and_the_main_sections(
    client, findable, index
):
    index.show_in_menus = True
    index.save_revision().publish()

    html = client.get("/recherche/", {"q": "acompagner sortie"}).text

    assert "0 résultat" in html
    assert "Vouliez-vous dire :" in html
    assert 'href="?q=accompagner%20sorties"' in html  # spelt as in the site's titles
    assert "cherchez-en un seul" in html
    assert 'href="?q=acompagner"' in html
    assert f'href="{index.url}"' in html
