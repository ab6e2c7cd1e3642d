"""A visitor who chose their commune déléguée ("près de chez vous", home/near_me.py)
opens the agenda, the plan and the missions on it, without giving any filter, with a
visible link to see the whole commune; a filter they give wins. The site's page cache
keeps one copy of each listing per chosen commune (Varnish hashes the same choice:
deploy/varnish/ville-citoyenne.vcl's vcl_hash, for every address)."""

import re

from django.test import override_settings

import pytest
from bs4 import BeautifulSoup

from home.near_me import COOKIE_NAME
from tests.factories import benevolat as bf
from tests.factories.actions import ActionIndexPageFactory, ActionPageFactory
from tests.factories.events import EventPageFactory, dates, in_days
from tests.factories.home import commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(home):
    plan = ActionIndexPageFactory(parent=home)
    for number, title, where in [
        (5, "Cour d'école végétalisée", "corne"),
        (7, "Halle du marché", "andard"),
        (12, "Budget participatif", None),
    ]:
        action = ActionPageFactory(parent=plan, number=number, title=title)
        if where:
            action.communes.set([commune(where)])
            action.save_revision().publish()
    return plan


@pytest.fixture
def agenda(index):
    for title, where, days in [("Concert à Corné", "corne", 3), ("Loto à Andard", "andard", 4)]:
        EventPageFactory(
            parent=index, title=title, commune=commune(where), occurrences=dates(in_days(days))
        )
    EventPageFactory(
        parent=index,
        title="Vœux du maire",
        commune=commune("andard"),
        whole_commune=True,
        occurrences=dates(in_days(5)),
    )
    return index


@pytest.fixture
def missions(listing, communes):
    bf.MissionPageFactory(parent=listing, title="Livrer les colis", commune=communes["corne"])
    bf.MissionPageFactory(parent=listing, title="Tenir la buvette", commune=communes["andard"])
    bf.MissionPageFactory(parent=listing, title="Relire le journal municipal", commune=None)
    return listing


def numbers(html):
    return [int(n) for n in re.findall(r'class="action-card__number">Action (\d+)<', html)]


def whole_commune_link(html):
    notice = BeautifulSoup(html, "html.parser").select_one(".near-me-notice")
    if notice is None:
        return None
    link = notice.find("a")
    return notice.get_text(" ", strip=True), link.get_text(strip=True), link["href"]


def test_the_plan_opens_on_the_chosen_commune_with_a_link_to_the_whole_commune(client, plan):
    assert numbers(client.get(plan.url).text) == [5, 7, 12]
    assert whole_commune_link(client.get(plan.url).text) is None

    client.cookies[COOKIE_NAME] = "corne"
    html = client.get(plan.url).text
    assert numbers(html) == [5, 12]  # Corné's and the whole commune's
    text, label, href = whole_commune_link(html)
    assert text.startswith("À Corné et pour toute la commune, selon votre choix.")
    assert (label, href) == ("Voir toute la commune", "?commune=")
    # The commune filter shows Corné chosen; its "Toutes" link leads to the whole plan.
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one('[aria-labelledby="filter-commune"] [aria-current]').text == "Corné"
    assert numbers(client.get(plan.url + href).text) == [5, 7, 12]
    # A filter given in the address wins, and keeps the visitor's commune out of it.
    assert numbers(client.get(plan.url, {"commune": "andard"}).text) == [7, 12]
    assert numbers(client.get(plan.url, {"statut": "todo"}).text) == [5, 7, 12]


def test_the_agenda_opens_on_the_chosen_commune_with_a_link_to_the_whole_commune(client, agenda):
    def titles(response):
        return [o.page.title for o in response.context["occurrences"]]

    client.cookies[COOKIE_NAME] = "corne"
    response = client.get(agenda.url)
    assert titles(response) == ["Concert à Corné", "Vœux du maire"]
    assert whole_commune_link(response.text)[1:] == ("Voir toute la commune", "?commune=")
    # The calendar to subscribe to is the one shown.
    assert f"{agenda.url}ical/?commune=corne" in response.text
    assert titles(client.get(agenda.url + "?commune=")) == [
        "Concert à Corné",
        "Loto à Andard",
        "Vœux du maire",
    ]
    assert titles(client.get(agenda.url, {"commune": "andard"})) == [
        "Loto à Andard",
        "Vœux du maire",
    ]
    # The archive lists the whole commune's past: no choice applied there.
    assert whole_commune_link(client.get(agenda.url + "archives/").text) is None


def test_the_missions_open_on_the_chosen_commune_with_a_link_to_the_whole_commune(client, missions):
    def titles(response):
        return {mission.title for mission in response.context["missions"]}

    client.cookies[COOKIE_NAME] = "andard"
    response = client.get(missions.url)
    assert titles(response) == {"Tenir la buvette", "Relire le journal municipal"}
    assert whole_commune_link(response.text)[1:] == ("Voir toute la commune", "?commune=")
    assert titles(client.get(missions.url + "?commune=")) == {
        "Livrer les colis",
        "Tenir la buvette",
        "Relire le journal municipal",
    }
    # A made-up commune in the cookie is no choice.
    client.cookies[COOKIE_NAME] = "atlantis"
    assert len(titles(client.get(missions.url))) == 3


@override_settings(PAGE_CACHE_SECONDS=300)
def test_the_page_cache_keeps_one_copy_of_each_listing_per_commune(client, plan, agenda, missions):
    for listing in (plan, agenda, missions):
        client.cookies.pop(COOKIE_NAME, None)
        assert whole_commune_link(client.get(listing.url).text) is None
        for chosen, name in [("corne", "Corné"), ("andard", "Andard")]:
            client.cookies[COOKIE_NAME] = chosen
            for _visit in range(2):  # made, then from the cache
                text = whole_commune_link(client.get(listing.url).text)[0]
                assert text.startswith(f"À {name} et pour toute la commune"), listing.url
        client.cookies.pop(COOKIE_NAME, None)
        assert whole_commune_link(client.get(listing.url).text) is None
