"""What every page says of itself and what the footer offers on every page: a
<title> with the commune's name once, a meta description, the accessibility
statement on the RGAA's model with its status in the footer, an HTML site map and
the satisfaction survey."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from wagtail.models import Page, PageViewRestriction, Site, get_page_models

import pytest
from bs4 import BeautifulSoup

from home.models import AccessibilityPage, CommuneSettings
from tests import factories
from tests.factories.expression import FormPageFactory

pytestmark = pytest.mark.django_db


def concrete_page_models():
    return [model for model in get_page_models() if model is not Page]


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def footer(client, url="/"):
    return soup(client.get(url)).select_one("footer")


def test_the_home_page_title_names_the_commune_once(client, home):
    title = soup(client.get("/")).title.get_text()
    assert title == "Ville citoyenne — Loire-Authion"


def test_the_home_pages_own_seo_title_is_used_alone(client, home):
    home.seo_title = "Ville citoyenne — Loire-Authion"
    home.save_revision().publish()
    assert soup(client.get("/")).title.get_text() == "Ville citoyenne — Loire-Authion"


@pytest.mark.parametrize("model", concrete_page_models(), ids=lambda model: model.__name__)
def test_every_page_type_has_a_title_and_a_description(client, home, model):
    page = factories.PAGE_FACTORIES[model](home)
    html = soup(client.get(page.url))

    title = html.title.get_text()
    assert title.count("Loire-Authion") == 1
    assert page.title in title
    description = html.select_one('meta[name="description"]')
    assert description is not None
    assert len(description["content"]) > 20
    assert len(description["content"]) <= 160


def test_the_description_is_the_teams_own_else_the_pages_opening_words(client, home):
    told = factories.StandardPageFactory(
        parent=home, slug="told", search_description="Ce que la commune en dit."
    )
    excerpt = factories.StandardPageFactory(
        parent=home, slug="excerpt", intro="Les horaires des sept mairies. " * 10
    )
    told_html = soup(client.get(told.url))
    excerpt_html = soup(client.get(excerpt.url))

    assert told_html.select_one('meta[name="description"]')["content"] == (
        "Ce que la commune en dit."
    )
    content = excerpt_html.select_one('meta[name="description"]')["content"]
    assert content.startswith("Les horaires des sept mairies.")
    assert content.endswith("…")
    assert excerpt_html.select_one('meta[property="og:description"]')["content"] == content


def statement(home, **values):
    page = factories.home.AccessibilityPageFactory(
        parent=home,
        compliance=AccessibilityPage.Compliance.PARTIAL,
        audit_date=datetime.date(2026, 11, 20),
        audited_by="l'équipe numérique",
        compliance_rate=Decimal("78.5"),
        non_compliant="<ul><li>Les graphiques n'ont pas d'alternative sonore.</li></ul>",
        established_on=datetime.date(2026, 12, 1),
        test_environment="Firefox et NVDA\nSafari et VoiceOver",
        **values,
    )
    site = Site.objects.get(is_default_site=True)
    settings = CommuneSettings.for_site(site)
    settings.accessibility_page = page
    settings.email = "contact@loire-authion.fr"
    settings.save()
    return page


def test_the_accessibility_statement_follows_the_rgaa_model(client, home):
    page = statement(home)
    html = soup(client.get(page.url))
    words = " ".join(html.select_one("main").get_text(" ").split())

    assert "article 47 de la loi n° 2005-102 du 11 février 2005" in words
    assert "est partiellement conforme avec le référentiel général" in words
    assert "réalisé le 20 novembre 2026 par l'équipe numérique révèle que 78,5 %" in words
    assert "Les graphiques n'ont pas d'alternative sonore." in words
    assert "Cette déclaration a été établie le 1er décembre 2026." in words
    assert [item.get_text() for item in html.select("main li")][:2] == [
        "Les graphiques n'ont pas d'alternative sonore.",
        "Firefox et NVDA",
    ]
    assert html.select_one('main a[href="mailto:contact@loire-authion.fr"]')
    headings = [heading.get_text() for heading in html.select("main h2")]
    assert headings == [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Retour d'information et contact",
        "Voies de recours",
    ]
    assert "Défenseur des droits Libre réponse 71120 75342 Paris CEDEX 07" in words


def test_the_footer_of_every_page_states_the_compliance(client, home):
    statement(home)
    other = factories.StandardPageFactory(parent=home)
    for url in ["/", other.url]:
        link = footer(client, url).find("a", string="Accessibilité : partiellement conforme")
        assert link is not None
        assert link["href"] == "/accessibilite/"


def test_a_statement_cannot_claim_more_than_its_audit_measured(home):
    page = AccessibilityPage(
        title="Déclaration",
        compliance=AccessibilityPage.Compliance.FULL,
        compliance_rate=Decimal("78.5"),
        established_on=datetime.date(2026, 12, 1),
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "ne correspond pas à la part des critères respectés" in str(error.value)


def test_the_site_map_lists_the_sections_and_their_pages(client, home, english):
    section = factories.StandardPageFactory(parent=home, title="Vivre à Loire-Authion")
    factories.StandardPageFactory(parent=section, title="Les écoles")
    draft = factories.StandardPageFactory(parent=section, title="Brouillon", live=False)
    private = factories.StandardPageFactory(parent=home, title="Espace des élus")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    link = footer(client).find("a", string="Plan du site")
    html = soup(client.get(link["href"]))

    assert html.title.get_text() == "Plan du site — Loire-Authion"
    sections = html.select(".site-map__sections > li")
    names = [item.find("a").get_text() for item in sections]
    assert "Vivre à Loire-Authion" in names
    assert "Espace des élus" not in names
    living = sections[names.index("Vivre à Loire-Authion")]
    assert [a.get_text() for a in living.select(":scope > ul a")] == ["Les écoles"]
    assert draft.title not in html.get_text()

    factories.translate(home)
    assert soup(client.get("/en/plan-du-site/")).h1.get_text() == "Site map"


def test_the_satisfaction_survey_is_linked_from_every_pages_footer(client, home):
    survey = FormPageFactory(parent=home, title="Votre avis sur l'accueil en mairie")
    link = footer(client).find("a", string="Votre avis sur l'accueil en mairie")
    assert link["href"] == survey.url
    assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize(
    "address", ["/recherche/?q=loto", "/recherche/", "/en/recherche/?q=loto", "/plan-du-site/"]
)
def test_views_that_are_not_pages_have_a_description_too(client, home, address):
    description = soup(client.get(address)).select_one('meta[name="description"]')
    assert description is not None
    assert 20 < len(description["content"]) <= 160


def test_a_view_with_no_description_of_its_own_says_what_the_site_is(client, home):
    from tests.factories.events import agenda

    # The follow form is a view of its own, with no page's description to give.
    response = client.get(f"/suivre/{agenda(home).pk}/")
    content = soup(response).select_one('meta[name="description"]')["content"]
    assert "Loire-Authion" in content and "participation citoyenne" in content
