"""The home page answers "what's happening near me?": quick actions, the next events
with their pictures, the plan's progress at a glance, the latest answers, and the
commune déléguée a visitor chose, remembered from page to page. The commune's name,
colours and logo come from its settings, so that another commune rebrands the site
from the admin."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.test import override_settings

import pytest
from bs4 import BeautifulSoup

from home.icons import PICTOGRAMS
from home.models import CommuneSettings
from home.near_me import COOKIE_NAME
from tests import factories
from tests.factories import actions, benevolat, events, expression
from tests.factories.home import commune, commune_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_site(home):
    plan = actions.action_plan(home)
    actions.ActionPageFactory(parent=plan, number=1, steps=actions.steps("done", "done"))
    actions.ActionPageFactory(parent=plan, number=2, steps=actions.steps("done", "todo"))
    corne_action = actions.ActionPageFactory(
        parent=plan, number=3, title="Un jardin partagé à Corné", steps=actions.steps("todo")
    )
    corne_action.communes.set([commune("corne")])
    agenda = events.agenda(home)
    photo = factories.wagtail_factories.ImageFactory(file__width=1600, file__height=900)
    events.EventPageFactory(
        parent=agenda,
        title="Marché des producteurs",
        commune=commune("corne"),
        image=photo,
        image_alt="Des étals au bord de la Loire",
        occurrences=events.dates(events.in_days(3)),
    )
    events.EventPageFactory(
        parent=agenda,
        title="Atelier numérique",
        commune=commune("andard"),
        category=events.EventCategory.objects.create(
            name="Ateliers", slug="ateliers", pictogram="tools"
        ),
        occurrences=events.dates(events.in_days(2)),
    )
    benevolat.missions_listing(home)
    expression.expression_page(home)
    expression.questions_answers_page(home)
    expression.PublishedSubmissionFactory(public_title="Quand rouvre la salle ?")
    return home


def page(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def test_the_home_page_offers_the_four_quick_actions(client, commune_site):
    quick = page(client).find("nav", attrs={"aria-label": "Accès rapides"})
    links = {link.get_text(" ", strip=True): link["href"] for link in quick.find_all("a")}
    assert links == {
        "S’abonner à l’agenda": "/agenda/#agenda-subscribe-title",
        "Devenir bénévole": "/benevolat/proposer-mon-aide/",
        "Signaler un problème": "/boite-a-idees/?type=report",
        "Proposer une idée": "/boite-a-idees/?type=idea",
    }
    # Each link leads to a page that answers.
    for href in links.values():
        assert client.get(href).status_code == 200


def test_the_next_events_show_their_picture_or_their_category_pictogram(client, commune_site):
    cards = page(client).select(".event-card")
    titles = [card.select_one(".event-card__title").get_text(strip=True) for card in cards]
    assert titles == ["Atelier numérique", "Marché des producteurs"]
    workshop, market = cards
    assert workshop.select_one("img") is None
    fallback = workshop.select_one(".pictogram-fallback")
    assert "tone-ochre" in fallback["class"]
    assert fallback.select_one("use")["href"].endswith("icons.svg#tools")
    assert fallback.select_one("svg")["aria-hidden"] == "true"
    assert market.select_one("img.event-card__image")["alt"] == ""  # the title says it all


def test_the_plan_progress_shows_at_a_glance(client, commune_site):
    glance = page(client).select_one(".plan-glance")
    # 3 of the plan's 5 steps are done; one action done, one in progress, one to come.
    assert glance.select_one(".plan-glance__percent").get_text(strip=True) == "60 %"
    legend = [item.get_text(" ", strip=True) for item in glance.select(".plan-glance__legend li")]
    assert legend == ["À venir : 1", "En cours : 1", "Réalisée : 1"]
    assert len(glance.select(".stacked-bar rect")) == 3


def test_the_latest_answers_are_on_the_home_page(client, commune_site):
    assert "Quand rouvre la salle ?" in page(client).get_text()


def test_a_visitor_chooses_their_commune_and_it_follows_them(client, commune_site):
    response = client.get(
        "/pres-de-chez-vous/", {"commune": "corne", "next": "/#pres-de-chez-vous"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/#pres-de-chez-vous"
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == "corne"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    home = page(client)
    assert home.select_one("#near-me-title").get_text(strip=True) == "Près de chez vous, à Corné"
    assert home.select_one("#near-me-commune option[selected]")["value"] == "corne"
    # Corné's events first, with a link to Corné's agenda; the plan's actions for Corné
    # and for the whole commune.
    titles = [title.get_text(strip=True) for title in home.select(".event-card__title")]
    assert titles == ["Marché des producteurs"]
    more = {link.get_text(strip=True): link["href"] for link in home.select("a.more-link")}
    assert more["Voir l’agenda de Corné"] == "/agenda/?commune=corne"
    # Every other page says it in the header.
    agenda = page(client, "/agenda/")
    assert agenda.select_one(".near-me-bar").get_text(strip=True) == "Près de chez vous : Corné"

    # Choosing "the whole commune" forgets it.
    response = client.get("/pres-de-chez-vous/", {"commune": "", "next": "/"})
    assert response.cookies[COOKIE_NAME].value == ""
    assert page(client).select_one(".near-me-bar") is None


def test_the_choice_of_commune_never_sends_the_visitor_elsewhere(client, commune_site):
    response = client.get(
        "/pres-de-chez-vous/", {"commune": "corne", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    response = client.get("/pres-de-chez-vous/", {"commune": "x" * 500})
    assert response.status_code == 302
    assert response.cookies[COOKIE_NAME].value == ""


@override_settings(PAGE_CACHE_SECONDS=300)
def test_the_page_cache_keeps_one_copy_per_commune(client, commune_site):
    assert "Près de chez vous, à" not in client.get("/").text
    client.cookies[COOKIE_NAME] = "corne"
    assert "Près de chez vous, à Corné" in client.get("/").text
    client.cookies[COOKIE_NAME] = "andard"
    assert "Près de chez vous, à Andard" in client.get("/").text
    # A made-up commune is served the page without a choice.
    client.cookies[COOKIE_NAME] = "atlantis"
    assert "Près de chez vous, à" not in client.get("/").text


def test_the_communes_colours_name_and_tagline_come_from_its_settings(client, home):
    commune_settings(
        commune_name="Longuenée-en-Anjou",
        tagline="Vivre ensemble",
        primary_colour="#6a1b4d",
        accent_colour="#1f5e2e",
    )
    header = page(client).select_one(".site-header")
    assert header.select_one(".brand__name").get_text(strip=True) == "Longuenée-en-Anjou"
    assert header.select_one(".brand__tagline").get_text(strip=True) == "Vivre ensemble"
    theme = page(client).find("link", href=lambda href: href and href.startswith("/theme.css"))
    css = client.get(theme["href"]).text
    assert "--brand: #6a1b4d;" in css
    assert "--accent: #1f5e2e;" in css


def test_a_colour_too_light_for_white_text_is_refused(home):
    settings = CommuneSettings(primary_colour="#f5c400", accent_colour="#a13f12")
    with pytest.raises(ValidationError) as refused:
        settings.full_clean(exclude=["site"])
    assert "trop claire" in str(refused.value.message_dict["primary_colour"])


def test_every_pictogram_an_editor_can_choose_is_in_the_sprite():
    from django.contrib.staticfiles import finders

    sprite = Path(finders.find("img/icons.svg")).read_text(encoding="utf-8")
    assert all(f'<symbol id="{name}"' in sprite for name in PICTOGRAMS)
