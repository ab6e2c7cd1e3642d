"""The site's page lookup (home/routing.py) answers every address as Wagtail's own
routing would: same status, same page served, same sub-address of a routable page,
same view restrictions, in French and in English, for aliases and drafts, and it lets
a page type with its own route() decide, as Wagtail does; the two internals of
Wagtail and treebeard it relies on are pinned here."""

import io
import re

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

import pytest

from events.models import EventIndexPage
from home import routing
from home.models import StandardPage
from tests import factories
from tests.factories import benevolat, events

pytestmark = pytest.mark.django_db

ENGLISH_PREFIX = "/en/"


def wagtail_route(request, path):
    """Wagtail's walk down the tree, as `wagtail.views.serve` does it."""
    site = Site.find_for_request(request)
    components = [component for component in path.split("/") if component]
    return site.root_page.localized.specific.route(request, components)


def split(url):
    """The language and the path Wagtail's view receives for a public address."""
    if url.startswith(ENGLISH_PREFIX):
        return "en", url.removeprefix(ENGLISH_PREFIX)
    return "fr", url.removeprefix("/")


def answer(lookup, url):
    """What a lookup finds for an address: None for a 404, otherwise the page (pk
    and specific type), the view and arguments it is served with, and the view
    restrictions that apply to it."""
    language, path = split(url)
    with translation.override(language):
        try:
            route = lookup(RequestFactory().get(url), path)
        except Http404:
            return None
        if route is None:
            return None
        page, args, kwargs = route
        if isinstance(page, RoutablePageMixin) and args:
            view, view_args, view_kwargs = args
            args = (view.__func__, tuple(view_args), view_kwargs)
        restrictions = sorted(page.get_view_restrictions().values_list("pk", flat=True))
        return page.pk, type(page), tuple(args), kwargs, restrictions


def addresses():
    """Every page's address, in its language and in the other one, the sub-addresses
    of routable pages, and an unknown address below each of them."""
    root = Site.objects.get(is_default_site=True).root_page
    homes = {
        page.locale_id: page
        for page in Page.objects.filter(translation_key=root.translation_key, live=True)
    }
    relative = set()
    for page in Page.objects.filter(depth__gt=1).select_related("content_type"):
        home = homes.get(page.locale_id)
        if home is None or not page.path.startswith(home.path):
            continue  # outside the site
        own = page.url_path.removeprefix(home.url_path)
        relative |= {own, own + "nulle-part/"}
        model = page.specific_class
        if issubclass(model, RoutablePageMixin):
            for pattern in model.get_subpage_urls():
                route = str(pattern.pattern).removeprefix("^")
                # A route's argument (the fund's private link) gets a value of its kind.
                route = re.sub(r"<(?:\w+:)?\w+>", "1-exemple", route)
                assert "<" not in route and "(" not in route, "a route with a regex"
                relative |= {own + route, own + route + "nulle-part/"}
    return sorted(prefix + path for path in relative for prefix in ("/", ENGLISH_PREFIX))


# What differs from one request to the next: CSP nonces, CSRF and one-time form tokens,
# and a calendar's or a feed's time of generation (two requests can fall either side of
# a second).
PER_REQUEST = re.compile(
    rb'nonce="[^"]*"|nonce-[\w+/=]+|name="(?:csrfmiddlewaretoken|form_token)" value="[^"]*"'
    rb"|DTSTAMP:\d{8}T\d{6}Z?|<lastBuildDate>[^<]*</lastBuildDate>"
)


def response(client, url):
    response = client.get(url)
    return (
        response.status_code,
        response.get("Location"),
        response.get("Content-Type"),
        PER_REQUEST.sub(b"", response.content),
    )


def assert_answers_as_wagtail(urls, client=None, monkeypatch=None):
    found = 0
    for url in urls:
        fast = answer(routing.find_route, url)
        assert fast == answer(wagtail_route, url), url
        if fast is None:
            continue  # both answer Wagtail's 404
        found += 1
        if client is not None:
            # The whole response, with the page Wagtail's own routing finds instead:
            # what the lookup leaves on the page (its ancestors) changes nothing.
            served = response(client, url)
            with monkeypatch.context() as patch:
                patch.setattr(routing, "find_route", Page.route_for_request)
                assert served == response(client, url), url
    return found


@pytest.fixture
def tree(home, english):
    """Every page type, private sections, aliases, drafts, in French and English."""
    pages = {model: make(home) for model, make in factories.PAGE_FACTORIES.items()}
    council = factories.StandardPageFactory(parent=home, slug="espace-elus")
    PageViewRestriction.objects.create(
        page=council, restriction_type=PageViewRestriction.PASSWORD, password="conseil"
    )
    minutes = factories.StandardPageFactory(parent=council, slug="comptes-rendus")
    staff_only = factories.StandardPageFactory(parent=home, slug="intranet")
    PageViewRestriction.objects.create(page=staff_only, restriction_type=PageViewRestriction.LOGIN)
    # A private routable page: its sub-addresses too are behind the restriction.
    staff_agenda = events.EventIndexPageFactory(parent=staff_only, slug="agenda-interne")
    events.EventPageFactory(parent=staff_agenda)
    # Aliases: of a public page in a private section, of a private page and of a
    # page of a private section, placed in a public one.
    pages[StandardPage].create_alias(parent=council, update_slug="copie-publique")
    council.create_alias(parent=home, update_slug="espace-elus-copie")
    minutes.create_alias(parent=home, update_slug="comptes-rendus-publics")
    # Drafts: a page, a live page below a draft, a draft routable page.
    factories.StandardPageFactory(parent=home, slug="brouillon", live=False)
    draft = factories.StandardPageFactory(parent=home, slug="rubrique-brouillon", live=False)
    factories.StandardPageFactory(parent=draft, slug="sous-page-publiee")
    draft_agenda = events.EventIndexPageFactory(parent=home, slug="agenda-brouillon", live=False)
    events.EventPageFactory(parent=draft_agenda, slug="evenement-sous-brouillon")
    # An event of an association, five levels down, and the English tree.
    events.EventPageFactory(parent=benevolat.association(home))
    for page in Page.objects.filter(depth__gt=2, locale=factories.french(), live=True):
        if not page.has_translation(english):
            factories.translate(page)
    return pages


def test_every_address_of_every_page_type_answers_as_under_wagtail(
    client, tree, rendered_each_time, monkeypatch
):
    urls = addresses()
    assert "/agenda/ical/" in urls and "/en/plan-d-actions/donnees/json/" in urls
    found = assert_answers_as_wagtail(urls, client, monkeypatch)
    assert found > len(urls) / 4  # the comparison is not only of 404s


def test_the_view_restriction_of_a_section_applies_below_it_and_to_its_aliases(client, tree):
    """As Wagtail decides: an alias has its source's own restrictions, not those of
    its source's section."""
    assert answer(routing.find_route, "/espace-elus/comptes-rendus/")[-1]
    assert answer(routing.find_route, "/espace-elus/copie-publique/")[-1]
    assert answer(routing.find_route, "/espace-elus-copie/")[-1]
    assert answer(routing.find_route, "/en/espace-elus-copie/")[-1]
    assert not answer(routing.find_route, "/comptes-rendus-publics/")[-1]
    assert answer(routing.find_route, "/intranet/agenda-interne/ical/")[-1]
    assert "password" in client.get("/espace-elus/comptes-rendus/").text
    assert client.get("/intranet/agenda-interne/rss/").status_code == 302
    assert client.get("/rubrique-brouillon/sous-page-publiee/").status_code == 200
    assert client.get("/agenda-brouillon/ical/").status_code == 404


def test_the_benchmark_dataset_answers_as_under_wagtail():
    from bench import dataset

    dataset.build(scale=0.002, stdout=io.StringIO())
    urls = addresses()
    assert len(urls) > 400
    assert assert_answers_as_wagtail(urls) > len(urls) / 4


# A page type with its own route() ----------------------------------------------------


def serves_itself(self, request, path_components):
    """A page type that answers every address below it (a single-page application
    mounted in the tree, say)."""
    return RouteResult(self, kwargs={"rest": "/".join(path_components)})


def test_a_page_type_with_its_own_route_above_the_page_decides_as_under_wagtail(home, monkeypatch):
    section = factories.StandardPageFactory(parent=home, slug="rubrique")
    factories.StandardPageFactory(parent=section, slug="enfant")
    monkeypatch.setattr(StandardPage, "route", serves_itself)

    fast = answer(routing.find_route, "/rubrique/enfant/")
    assert fast == answer(wagtail_route, "/rubrique/enfant/")
    assert fast[0] == section.pk
    assert fast[3] == {"rest": "enfant"}


def test_a_routable_page_type_with_its_own_route_decides_as_under_wagtail(home, monkeypatch):
    agenda = events.agenda(home)
    event = events.EventPageFactory(parent=agenda)
    monkeypatch.setattr(EventIndexPage, "route", serves_itself)

    urls = [event.url, agenda.url + "ical/", agenda.url + "nulle-part/"]
    assert_answers_as_wagtail(urls)
    assert answer(routing.find_route, event.url)[0] == agenda.pk


def test_the_page_served_keeps_its_own_route(home, monkeypatch):
    section = factories.StandardPageFactory(parent=home, slug="rubrique")
    monkeypatch.setattr(StandardPage, "route", serves_itself)
    assert_answers_as_wagtail(["/rubrique/", "/rubrique/a/b/"])
    assert answer(routing.find_route, "/rubrique/a/b/")[0] == section.pk


# What the lookup costs, and the internals it relies on -------------------------------


def test_the_lookup_reads_two_queries_whatever_the_depth(home, django_assert_num_queries):
    """The site and its localized home pages are cached: the pages along the address,
    then the page served with its own type."""
    mission = benevolat.association_mission(home)
    event = events.EventPageFactory(parent=mission.get_parent())
    answer(routing.find_route, "/")  # the site and its localized home pages, cached
    for page in (home, mission, event):
        url = page.url
        # The walk itself, as for a member of staff: a visitor's is kept (below).
        request = RequestFactory().get(url)
        request.COOKIES["sessionid"] = "abc"
        with django_assert_num_queries(2):
            route = routing.find_route(request, split(url)[1])
        assert route.page.pk == page.pk


def test_wagtail_serves_the_route_left_on_the_request(home):
    """home.routing.serve hands its route to Wagtail's view through the attribute
    where `Page.route_for_request` keeps a request's route."""
    page = factories.StandardPageFactory(parent=home, title="Horaires de la mairie")
    request = RequestFactory().get("/ailleurs/")
    request.user = AnonymousUser()
    request._wagtail_route_for_request = RouteResult(page.specific)
    assert Page.route_for_request(request, "ailleurs/").page is page.specific
    assert "Horaires de la mairie" in wagtail_views.serve(request, "ailleurs/").render().text


def test_treebeard_reads_the_parent_the_lookup_leaves_on_the_page(home, django_assert_num_queries):
    mission = benevolat.association_mission(home)
    route = routing.find_route(RequestFactory().get(mission.url), split(mission.url)[1])
    with django_assert_num_queries(0):
        parent = route.page.get_parent()
    assert parent.pk == mission.get_parent().pk


def test_a_visitors_second_visit_reads_no_page_until_the_page_is_published(
    home, django_assert_num_queries
):
    """The pages along an address and the page served are kept in the worker for
    visitors without a session (issue 16), and read again once the page is published."""
    page = factories.StandardPageFactory(parent=home, title="Horaires de la mairie")
    path = split(page.url)[1]
    routing.find_route(RequestFactory().get(page.url), path)

    with django_assert_num_queries(0):
        again = routing.find_route(RequestFactory().get(page.url), path)
    assert again.page.title == "Horaires de la mairie"

    # A change that other pages do not show (a title would start a new generation).
    page.search_description = "Les horaires d'été de la mairie"
    page.save_revision().publish()
    with django_assert_num_queries(1):  # the page alone, its address unchanged
        published = routing.find_route(RequestFactory().get(page.url), path)
    assert published.page.search_description == "Les horaires d'été de la mairie"


def test_what_a_request_sets_on_the_page_stays_with_that_request(home):
    page = factories.StandardPageFactory(parent=home)
    path = split(page.url)[1]
    first = routing.find_route(RequestFactory().get(page.url), path).page
    first.note_of_this_request = "seen"
    second = routing.find_route(RequestFactory().get(page.url), path).page
    assert not hasattr(second, "note_of_this_request")


def test_staff_with_a_session_get_the_page_as_saved_this_second(home, django_assert_num_queries):
    page = factories.StandardPageFactory(parent=home)
    path = split(page.url)[1]
    routing.find_route(RequestFactory().get(page.url), path)
    request = RequestFactory().get(page.url)
    request.COOKIES["sessionid"] = "abc"
    with django_assert_num_queries(2):
        routing.find_route(request, path)


@pytest.mark.parametrize(
    "hostname, port",
    [
        ("localhost", 80),
        ("localhost", 8000),
        ("mairie.example", 80),
        ("mairie.example", 443),
        ("mairie.example", 8000),
        ("jumelage.example", 80),
        ("inconnu.example", 80),
    ],
)
def test_the_site_of_an_address_is_the_one_wagtail_finds(home, hostname, port):
    """The sites are read once per generation and matched in Python, in Wagtail's
    order of preference: the host and port, the host on the default site, the
    default site, a lone site of that host."""
    from wagtail.models.sites import get_site_for_hostname

    Site.objects.create(hostname="mairie.example", port=443, root_page=home)
    Site.objects.create(hostname="jumelage.example", port=8000, root_page=home)
    try:
        expected = get_site_for_hostname(hostname, port).pk
    except Site.DoesNotExist:
        expected = None
    found = routing.site_for_hostname(hostname, port)
    assert (found.pk if found else None) == expected


def test_a_walk_made_by_another_worker_is_read_from_the_shared_cache(
    home, django_assert_num_queries
):
    """The pages along an address are shared through the cache: the task worker's
    visit of a page just published walks it for every worker (issue 16, the first
    visit of a fresh page)."""
    page = factories.StandardPageFactory(parent=home, title="Marché de Noël")
    path = split(page.url)[1]
    routing.find_route(RequestFactory().get(page.url), path)
    routing.walks.clear()  # another worker: nothing of it in its memory

    with django_assert_num_queries(0):
        shared = routing.find_route(RequestFactory().get(page.url), path)
    assert shared.page.title == "Marché de Noël"

    page.search_description = "Le marché revient place de la mairie"
    page.save_revision().publish()
    routing.walks.clear()
    with django_assert_num_queries(1):  # the shared walk's page is no longer current
        published = routing.find_route(RequestFactory().get(page.url), path)
    assert published.page.search_description == "Le marché revient place de la mairie"


def test_a_page_made_for_a_visitor_reads_the_sites_home_pages_kept_in_the_worker(
    client, home, rendered_each_time, monkeypatch
):
    """Wagtail reads its list of the sites' home pages from the shared cache at each
    request; the routing leaves the list kept per generation on the request, where
    Wagtail looks first. A new translation of the home page starts a new generation,
    and the English addresses follow."""
    page = factories.StandardPageFactory(parent=home, title="Horaires de la mairie")
    client.get(page.url)
    asked = []
    real = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", lambda: asked.append(1) or real())

    response = client.get(page.url)
    assert response.status_code == 200
    assert f'<meta property="og:url" content="{page.full_url}">' in response.text
    assert asked == []

    english = factories.english()
    page.copy_for_translation(english, copy_parents=True).save_revision().publish()
    response = client.get(page.url)
    assert '<link rel="alternate" hreflang="en" href="http://localhost/en/' in response.text
    assert asked == [1]


class SharedReads:
    """The round trips a request makes to the shared cache (the real one answering),
    but for the generation and the tags' versions (with Redis, kept in each worker
    until Redis says they changed: tests/test_cache_watched.py)."""

    WATCHED = ("site-generation", "page-tag:")

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        self.trips = []
        self._inside = False
        backend = caches["default"]
        for name in ("get", "get_many"):
            monkeypatch.setattr(backend, name, self._counted(name, getattr(backend, name)))

    def _counted(self, name, real):
        def counted(keys, *args, **kwargs):
            if self._inside:  # the local-memory backend's get_many calls its get
                return real(keys, *args, **kwargs)
            listed = [keys] if isinstance(keys, str) else list(keys)
            if not all(key.startswith(self.WATCHED) for key in listed):
                self.trips.append((name, listed))
            self._inside = True
            try:
                return real(keys, *args, **kwargs)
            finally:
                self._inside = False

        return counted


def a_new_worker_that_served_the_home_page(client, home):
    """As a worker just started: what its start made (the home page), nothing else in
    its memory; what the others made, in the shared cache."""
    from django.core.cache import caches

    from home import page_cache

    routing.walks.clear()
    page_cache.computed_copies.clear()
    caches["fragments"].clear_here()
    client.get(home.url)


def test_a_workers_first_visitor_of_a_page_waits_for_two_reads_of_the_shared_cache(
    client, home, settings, monkeypatch
):
    """A page new to a worker reads from the shared cache what other workers made of
    it (its values, its header, its sections): at once, in the round trip of its walk
    and one more, rather than one for each (14 on an action page, issue 16's cold
    start)."""
    from tests.factories import actions

    action = actions.ActionPageFactory(
        parent=actions.action_plan(home), indicators=[actions.indicator(values=[3, 5, 8])]
    )
    # The page made each time (the page cache would serve it whole), what it reads
    # kept as with the page cache.
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "PageCache" not in name]
    made_elsewhere = client.get(action.url).text  # by a worker where the page was new
    a_new_worker_that_served_the_home_page(client, home)
    client.get(action.url)  # notes what the page read from the shared cache
    a_new_worker_that_served_the_home_page(client, home)
    counted = SharedReads(monkeypatch)

    response = client.get(action.url)
    assert response.status_code == 200
    assert response.text == made_elsewhere
    walk, values = counted.trips
    assert walk[0] == "get_many" and walk[1][0].startswith("walk:")
    assert values[0] == "get_many"
    assert any(key.startswith("fragment:action-body") for key in values[1])
