"""The page cache forgets only what changed (issue 16): a publication purges the
pages that show what was published, a sign-up its ceremony's or mission's page, a
draft nothing; what other pages show of a page (its title, its place in the menu)
turns everything over."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests import factories
from tests.factories import actions, benevolat, events, expression

pytestmark = pytest.mark.django_db


def served_from_cache(client, url):
    """The page as a visitor gets it, and whether the cache answered it (no query)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries) == 0


@pytest.fixture
def commune_site(home):
    """A small site: two actions, an event of the first, an association's page, a
    standard page, all visited once so that they sit in the cache."""
    plan = actions.action_plan(home)
    linked = actions.ActionPageFactory(parent=plan, title="Créer un conseil des jeunes")
    other = actions.ActionPageFactory(parent=plan, title="Ouvrir un jardin partagé")
    agenda = events.agenda(home)
    event = events.EventPageFactory(parent=agenda, title="Réunion du conseil des jeunes")
    event.related_actions.set([linked])
    event.save_revision().publish()
    club = benevolat.association(home, title="Club de tennis de Corné")
    standard = factories.StandardPageFactory(parent=home, title="Mentions légales")
    site = {
        "home": home,
        "plan": plan,
        "linked": linked,
        "other": other,
        "agenda": agenda,
        "event": event,
        "club": club,
        "standard": standard,
    }
    for page in site.values():
        page.refresh_from_db()
    return site


def visit_all(client, site):
    for page in site.values():
        client.get(page.url)


def test_a_published_event_forgets_only_the_pages_that_show_it(client, commune_site):
    site = commune_site
    visit_all(client, site)
    event = site["event"]

    event.intro = "Ouverte à tous les jeunes de 11 à 17 ans."
    event.save_revision().publish()

    for name in ("event", "agenda", "home", "linked"):
        assert not served_from_cache(client, site[name].url), name
    assert "11 à 17 ans" in client.get(event.url).text
    for name in ("plan", "other", "club", "standard"):
        assert served_from_cache(client, site[name].url), name


def test_an_event_moved_to_another_action_leaves_the_first_one_too(client, commune_site):
    site = commune_site
    visit_all(client, site)
    event = site["event"]
    assert "Réunion du conseil des jeunes" in client.get(site["linked"].url).text

    event.related_actions.set([site["other"]])
    event.save_revision().publish()

    assert "Réunion du conseil des jeunes" not in client.get(site["linked"].url).text
    assert "Réunion du conseil des jeunes" in client.get(site["other"].url).text


def test_a_draft_or_an_autosave_forgets_nothing(client, commune_site):
    site = commune_site
    visit_all(client, site)
    event = site["event"]

    event.intro = "Un brouillon qui n'est pas encore public."
    event.save_revision()

    for name, page in site.items():
        assert served_from_cache(client, page.url), name
    assert "brouillon" not in client.get(event.url).text


def test_a_title_change_shows_wherever_the_page_is_named(client, commune_site):
    """The event names its action; the menu and the breadcrumbs name pages too: a
    new title cannot be placed, and every page is made again."""
    site = commune_site
    visit_all(client, site)
    linked = site["linked"]

    linked.title = "Installer le conseil municipal des jeunes"
    linked.save_revision().publish()

    assert "Installer le conseil municipal des jeunes" in client.get(site["event"].url).text
    assert not served_from_cache(client, site["standard"].url)


def test_a_ceremony_sign_up_forgets_the_ceremony_alone(client, commune_site):
    site = commune_site
    ceremony = events.CeremonyPageFactory(parent=site["agenda"])
    visit_all(client, site)

    from events.models import CeremonyRegistration

    CeremonyRegistration.objects.create(
        ceremony=ceremony, name="Camille Martin", email="camille@example.org"
    )

    for name, page in site.items():
        assert served_from_cache(client, page.url), name


def test_a_volunteer_request_forgets_the_listings_only_when_the_mission_fills_up(client, home):
    mission = benevolat.association_mission(home, volunteers_needed=2)
    listing = benevolat.missions_listing(home)
    mission.refresh_from_db()
    client.get(listing.url)
    accepted = benevolat.VolunteerRequestFactory._meta.model.Status.ACCEPTED

    benevolat.VolunteerRequestFactory(mission=mission, status=accepted)
    assert served_from_cache(client, listing.url)  # one place left: the listing is right

    last = benevolat.VolunteerRequestFactory(mission=mission, status=accepted)
    assert not served_from_cache(client, listing.url)  # full now: its badge changed

    client.get(listing.url)
    last.delete()
    assert not served_from_cache(client, listing.url)  # a place again


def test_cached_pages_name_their_tags_for_a_cdn_in_front(client, commune_site):
    event = commune_site["event"]
    response = client.get(commune_site["agenda"].url)
    tags = response["Surrogate-Key"].split()
    assert "events" in tags
    assert f"page-{commune_site['agenda'].translation_key}" in tags

    event_tags = client.get(event.url)["Surrogate-Key"].split()
    assert f"page-{event.translation_key}" in event_tags


def test_an_evicted_tag_forgets_its_pages(client, commune_site):
    """Redis may evict a tag's version: the pages stored under it are not trusted."""
    from django.core.cache import cache

    agenda = commune_site["agenda"]
    client.get(agenda.url)
    cache.delete("page-tag:events")
    assert not served_from_cache(client, agenda.url)


def test_the_home_page_and_the_plan_show_each_publication_at_once(client, home):
    """The home page's sections and the plan's list are kept between publications
    (issue 16); each publication shows at once where it should."""
    plan = actions.action_plan(home)
    agenda = events.agenda(home)
    expression.questions_answers_page(home)
    actions.ActionPageFactory(parent=plan, title="Créer un conseil des jeunes")
    events.EventPageFactory(parent=agenda, title="Réunion publique")
    expression.PublishedSubmissionFactory(public_title="Horaires de la piscine")
    for url in ("/", plan.url):
        client.get(url)

    events.EventPageFactory(parent=agenda, title="Fête de la Loire").save_revision().publish()
    assert "Fête de la Loire" in client.get("/").text

    action = actions.ActionPageFactory(parent=plan, title="Ouvrir un jardin partagé")
    action.save_revision().publish()
    assert "Ouvrir un jardin partagé" in client.get("/").text
    assert "Ouvrir un jardin partagé" in client.get(plan.url).text

    expression.PublishedSubmissionFactory(public_title="Ramassage des encombrants")
    home_page = client.get("/").text
    for shown in ("Ramassage des encombrants", "Fête de la Loire", "Ouvrir un jardin partagé"):
        assert shown in home_page


class CountingCache:
    """The shared cache, counting its reads: a page served from a worker's memory
    must still ask the shared cache, once, whether it is current."""

    def __init__(self, cache):
        self.cache = cache
        self.reads = 0

    def __getattr__(self, name):
        if name in ("get", "get_many"):
            self.reads += 1
        return getattr(self.cache, name)


def test_a_page_kept_in_a_workers_memory_costs_one_read_of_the_shared_cache(
    client, commune_site, monkeypatch
):
    from home import page_cache

    agenda = commune_site["agenda"]
    client.get(agenda.url)
    counting = CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)

    assert served_from_cache(client, agenda.url)
    assert counting.reads == 1


def test_a_purge_by_another_server_forgets_the_copy_in_a_workers_memory(client, commune_site):
    """Another server publishes: its purge reaches this worker through the shared
    cache alone (no signal runs here), and the copy in memory is not served again."""
    from home import page_cache

    event = commune_site["event"]
    client.get(event.url)
    type(event).objects.filter(pk=event.pk).update(title="Conseil des jeunes, reporté")
    assert "reporté" not in client.get(event.url).text  # the copy still current

    page_cache.purge({page_cache.page_tag(event)})
    assert "reporté" in client.get(event.url).text


def test_a_copy_in_a_workers_memory_expires_with_the_shared_one(
    client, commune_site, settings, monkeypatch
):
    from home import page_cache

    event = commune_site["event"]
    client.get(event.url)
    type(event).objects.filter(pk=event.pk).update(title="Conseil des jeunes, reporté")
    later = page_cache.time.time() + settings.PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(page_cache.time, "time", lambda: later)

    assert "reporté" in client.get(event.url).text


def first_visit_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_new_generation_the_worker_makes_the_chrome_again(client, settings):
    """A title change makes every page's menu and footer again. The task worker then
    visits the home and menu pages, so that the first visitor of any other page after the
    publication pays for that page alone (issue 16: the budget of 12 queries holds on
    the first render after a publication too)."""
    home = factories.make_site_home()
    section = factories.StandardPageFactory(parent=home, title="Vie locale", show_in_menus=True)
    legal = factories.StandardPageFactory(parent=home, title="Mentions légales")
    client.get(legal.url)

    section.title = "Vie de la commune"
    section.save_revision().publish()
    cold = first_visit_queries(client, legal.url)

    settings.PAGE_CACHE_VISIT_AFTER_PUBLICATION = True
    section.title = "Vivre à Loire-Authion"
    section.save_revision().publish()
    # The worker's visit: the home page is kept, made after the change (its menu).
    assert served_from_cache(client, "/")
    assert "Vivre à Loire-Authion" in client.get("/").text
    after_visit = first_visit_queries(client, legal.url)

    assert after_visit <= cold - 5


def test_a_new_accessibility_status_shows_in_the_footer_of_every_page(client, commune_site):
    """The statement's status is written in every page's footer (RGAA): publishing a
    new status is not a change of its page alone."""
    from wagtail.models import Site

    from home.models import AccessibilityPage, CommuneSettings

    site = commune_site
    statement = factories.home.AccessibilityPageFactory(
        parent=site["home"], compliance=AccessibilityPage.Compliance.NONE
    )
    commune = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    commune.accessibility_page = statement
    commune.save()
    for name in ("home", "event", "club"):
        assert "Accessibilité : non conforme" in client.get(site[name].url).text
    visit_all(client, site)

    statement.refresh_from_db()
    statement.compliance = AccessibilityPage.Compliance.PARTIAL
    statement.save_revision().publish()

    for name in ("home", "event", "club", "standard"):
        text = client.get(site[name].url).text
        assert "Accessibilité : partiellement conforme" in text, name
        assert "non conforme" not in text, name


# Transactional: the visit is a request of its own, which closes its connection.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_published_page_is_made_by_the_task_worker_before_its_first_visitor(
    client, commune_site, settings
):
    """After a publication the task worker asks for the page (home/warmup.py): its
    first visitor is served from the page cache, in each worker, with no query."""
    from django.core.cache import caches

    from home import page_cache, routing

    settings.PAGE_CACHE_VISIT_AFTER_PUBLICATION = True
    event = commune_site["event"]
    event.intro = "Ouverte à tous les jeunes de 11 à 17 ans."
    event.save_revision().publish()
    # Another worker: only the shared cache holds what the visit made.
    page_cache.front_cache.clear()
    routing.walks.clear()
    caches["fragments"].clear()

    assert served_from_cache(client, event.url)
    assert "11 à 17 ans" in client.get(event.url).text


def test_the_site_chrome_made_by_one_worker_is_found_by_the_others():
    """The header and footer fragments are kept in each worker's memory and shared
    through the cache (ville_citoyenne.cache.LocalThenShared)."""
    from django.core.cache import caches

    fragments = caches["fragments"]
    fragments.set("template.cache.header.abc", "<header>Loire-Authion</header>", 86400)
    fragments.clear()  # this worker's memory only
    assert fragments.get("template.cache.header.abc") == "<header>Loire-Authion</header>"
