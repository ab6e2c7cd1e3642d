"""The site's public addresses: query parameters in one French vocabulary, old English
names redirected for good, and page slugs in ASCII so that a typed address works."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.urls import reverse

from wagtail.models import Page

import pytest
from playwright.sync_api import expect

from home.middleware import RENAMED_QUERY_PARAMETERS
from home.models import Commune, StandardPage
from tests import factories
from tests.factories import actions as af
from tests.factories import benevolat as bf
from tests.factories import events as ef
from tests.factories import expression as xf

# Every name a public page reads from its query string.
VOCABULARY = {
    "q",
    "page",
    "du",
    "au",
    "date",
    "commune",
    "categorie",
    "organisateur",
    "public",
    "theme",
    "statut",
    "domaine",
    "type",
    "action",
    "benevoles",
    "familles",
    "ouvertes",
}


@pytest.fixture
def site(home):
    """One of each public page that reads a query string, or links to one."""
    andard = Commune.objects.get(slug="andard")
    plan = af.action_plan(home)
    action = af.ActionPageFactory(parent=plan, number=5, themes=[af.ThemeFactory()])
    directory = bf.association_directory(home)
    comite = bf.AssociationPageFactory(parent=directory, title="Comité des fêtes", slug="comite")
    listing = bf.missions_listing(home)
    bf.MissionPageFactory(parent=comite, slug="buvette", commune=andard)
    agenda = ef.agenda(home)
    ef.EventPageFactory(parent=comite)
    expression = xf.expression_page(home)
    questions = xf.questions_answers_page(home)
    xf.PublishedSubmissionFactory(action=action, kind="idea", public_title="Des bacs potagers")
    xf.PublishedSubmissionFactory(kind="question", public_title="Les horaires")
    return {
        "plan": plan,
        "action": action,
        "directory": directory,
        "listing": listing,
        "agenda": agenda,
        "expression": expression,
        "questions": questions,
    }


# Where each renamed parameter is read, to check its redirect on each of them.
READ_BY = {"kind": ["questions", "expression"]}


def test_every_renamed_parameter_is_checked_where_it_is_read():
    assert set(READ_BY) == set(RENAMED_QUERY_PARAMETERS)
    assert set(RENAMED_QUERY_PARAMETERS.values()) <= VOCABULARY


@pytest.mark.parametrize(
    ("old", "where"), [(old, where) for old, pages in READ_BY.items() for where in pages]
)
def test_an_old_english_name_redirects_for_good_to_the_french_one(client, site, old, where):
    url = site[where].url
    new = RENAMED_QUERY_PARAMETERS[old]

    response = client.get(f"{url}?q=salle&{old}=idea&action=7&page=2")

    assert response.status_code == 301
    # Same page, the other parameters kept in their order.
    assert response["Location"] == f"{url}?q=salle&{new}=idea&action=7&page=2"


def test_the_redirect_leads_to_the_filtered_questions(client, site):
    response = client.get(site["questions"].url, {"kind": "idea"}, follow=True)

    assert response.redirect_chain == [(f"{site['questions'].url}?type=idea", 301)]
    titles = [question.public_title for question in response.context["questions"]]
    assert titles == ["Des bacs potagers"]


def test_the_redirect_leads_to_the_form_with_the_kind_preselected(client, site):
    url = f"{site['expression'].url}?kind=idea&action={site['action'].pk}"

    response = client.get(url, follow=True)

    assert response.redirect_chain[0][1] == 301
    assert response.context["form"].initial == {"kind": "idea", "action": site["action"].pk}


def test_the_french_name_is_served_without_a_redirect(client, site):
    response = client.get(site["questions"].url, {"type": "question"})

    assert response.status_code == 200
    titles = [question.public_title for question in response.context["questions"]]
    assert titles == ["Les horaires"]


def test_beside_its_french_name_an_old_name_is_dropped(client, site):
    response = client.get(f"{site['questions'].url}?kind=idea&type=question&q=")

    assert response.status_code == 301
    assert response["Location"] == f"{site['questions'].url}?type=question&q="


def test_the_redirect_re_encodes_what_it_was_given(client, site):
    url = site["questions"].url

    response = client.get(f"{url}?kind=%3Cscript%3E&q=f%C3%AAte+%26+co&page=%00&x=%zz")

    assert response.status_code == 301
    assert response["Location"] == f"{url}?type=%3Cscript%3E&q=f%C3%AAte+%26+co&page=%00&x=%25zz"
    assert client.get(response["Location"]).status_code == 200


def test_a_redirect_never_leaves_the_site(client, site):
    # A path of "//elsewhere.example/" would read as another site's address.
    response = client.get("/%2Felsewhere.example/?kind=idea")

    assert response.status_code == 301
    assert response["Location"].startswith("/%2F")


def test_a_redirect_from_a_cached_page_is_itself_right(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 60
    url = site["questions"].url
    assert client.get(url, {"type": "idea"}).status_code == 200

    for _visit in range(2):
        response = client.get(url, {"kind": "idea"})
        assert response.status_code == 301
        assert response["Location"] == f"{url}?type=idea"


def test_a_form_sent_with_an_old_name_is_not_redirected(client, site):
    # A 301 would make the browser drop the message it sent.
    response = client.post(f"{site['expression'].url}?kind=idea", {})

    assert response.status_code == 400


def test_the_admin_and_the_api_keep_their_own_names(client, site):
    # The API's `type` is a model name; the admin's filters are Wagtail's.
    assert client.get("/api/v2/pages/", {"kind": "x"}).status_code == 400
    staff = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("submission:index"), {"kind": "report"})
    assert response.status_code == 200


class QueryNames(HTMLParser):
    """The query names of a page's links and of its GET forms' fields."""

    def __init__(self):
        super().__init__()
        self.names = set()
        self.in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "?" in (attrs.get("href") or ""):
            query = urlsplit(attrs["href"]).query
            self.names |= {name for name, _value in parse_qsl(query, keep_blank_values=True)}
        elif tag == "form":
            self.in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self.in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


@pytest.mark.parametrize(
    "where",
    ["/recherche/", "plan", "action", "directory", "listing", "agenda", "expression", "questions"],
)
def test_every_query_name_a_public_page_builds_is_french(client, site, where):
    url = where if where.startswith("/") else site[where].url
    response = client.get(url, {"q": "fête"} if where.startswith("/") else {})
    assert response.status_code == 200
    parser = QueryNames()
    parser.feed(response.content.decode())

    assert parser.names, "the page builds no query: the test checks nothing"
    assert parser.names - VOCABULARY == set()


# Slugs ------------------------------------------------------------------------------


def test_a_page_saved_without_slug_gets_an_ascii_one(home):
    page = StandardPage(title="Sondage : la fête à Saint-Mathurin-sur-Loire, ça déçoit ?")
    home.add_child(instance=page)

    assert page.slug == "sondage-la-fete-a-saint-mathurin-sur-loire-ca-decoit"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_admin_fills_an_ascii_slug_as_the_title_is_typed(client, live_server, page, settings):
    home = factories.make_site_home()
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    add = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
    page.goto(live_server.url + add)

    page.locator("#id_title").press_sequentially("Sondage : la fête")
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value("sondage-la-fete")

    # An accent typed in the slug itself goes too, once the field is left.
    page.get_by_role("tab", name="Promotion").click()
    page.locator("#id_slug").fill("la-fête-du-quartier")
    page.locator("#id_slug").blur()
    assert page.locator("#id_slug").input_value().isascii()

    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_url("**/edit/")
    assert Page.objects.child_of(home).get().slug.isascii()
