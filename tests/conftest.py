import os
import threading

from django.core.signals import request_finished, request_started

import pytest

from bénévolat.accounts import ensure_members_group
from home.models import Commune
from tests import factories
from tests.factories import UserFactory
from tests.factories import benevolat as bf
from tests.factories import expression as expression_factories
from tests.factories.events import agenda

# Playwright's sync API keeps an event loop in the test thread; Django would then
# refuse ORM calls from live_server tests. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep what the migrations created (root page, locales, groups, communes,
    workflow) available to every browser test.

    Transactional tests flush the database and restore the migrations' data from a
    copy Django keeps on the connection object. Once Playwright runs an event loop
    in the test thread, Django hands that thread another connection object, which
    lacks the copy: the data would be lost for every later test. Putting the copy on
    the connection class makes every connection object of this process see it."""
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


class _RequestsUnderWay:
    """The live server's threads serving a request. The test thread's own requests
    (the test client's, whose streamed answers a test may leave unread) don't count."""

    def __init__(self):
        self.threads = set()
        self.idle = threading.Condition()

    def started(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with self.idle:
                self.threads.add(threading.get_ident())

    def finished(self, **kwargs):
        with self.idle:
            self.threads.discard(threading.get_ident())
            self.idle.notify_all()

    def wait_until_idle(self, timeout):
        with self.idle:
            return self.idle.wait_for(lambda: not self.threads, timeout=timeout)


_requests_under_way = _RequestsUnderWay()
request_started.connect(_requests_under_way.started, dispatch_uid="tests-under-way")
request_finished.connect(_requests_under_way.finished, dispatch_uid="tests-under-way")


@pytest.fixture(autouse=True)
def _live_server_quiet_before_flush(request):
    """A browser test ends with its last page open: the admin's editing-session ping
    or a form's request may still be at work in the live server's thread. SQLite
    refuses to empty a table another connection is writing ("database table is
    locked"), so the flush that ends the test failed and the next test met the rows
    left behind. The page is closed and its requests finished before the flush."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Asked for here, so that they are torn down after this fixture (and the flush,
    # which the live server's database fixture does, after that).
    request.getfixturevalue("live_server")
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    yield
    if page is not None and not page.is_closed():
        page.close()
    assert _requests_under_way.wait_until_idle(timeout=30), "the live server kept working"


def redis_database_url(first):
    """A Redis database of this test worker's own, from number `first` on: two
    pytest-xdist workers running tests of one module must not empty each other's."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    return f"redis://127.0.0.1:6379/{first + worker}"


@pytest.fixture
def shared_redis(request, settings):
    """The site's cache on the machine's Redis database that the test module names in
    `REDIS_URL`, emptied before and after, as on a server in production (the test
    skipped without Redis); a client of that database."""
    import redis

    url = request.module.REDIS_URL
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "ville_citoyenne.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ville-citoyenne",
        },
        "fragments": settings.CACHES["fragments"],
    }
    yield client
    client.flushdb()


@pytest.fixture
def home(db):
    return factories.make_site_home()


@pytest.fixture
def english(db):
    return factories.english()


@pytest.fixture(autouse=True)
def _french_by_default():
    # A request under /en/ leaves English active in the thread; a test that renders
    # a template directly must start in the site's language, whatever ran before.
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached pages must not leak from one test to the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rendered_each_time(settings):
    """For the tests that count what a page costs to make: no full-page cache
    (the header and footer stay cached, as on the site)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def axe_violations():
    """Serious and critical accessibility violations that axe-core finds on a page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page):
        violations = axe.run(page).response["violations"]
        return [
            f"{violation['id']} ({violation['impact']}): "
            + "; ".join(node["target"][0] for node in violation["nodes"][:5])
            for violation in violations
            if violation["impact"] in {"serious", "critical"}
        ]

    return run


# Below, what several test modules of one app share. A module that defines a fixture of
# the same name (`world` in test_permission_matrix.py and test_events_associations.py)
# uses its own.


# Citizen expression ---------------------------------------------------------------------


@pytest.fixture
def expression_page(home):
    return expression_factories.expression_page(home)


@pytest.fixture
def qa_page(home):
    return expression_factories.questions_answers_page(home)


@pytest.fixture
def andard(db):
    return Commune.objects.get(slug="andard")


# The agenda -----------------------------------------------------------------------------


@pytest.fixture
def index(home):
    return agenda(home)


# Bénévolat -------------------------------------------------------------------------------


@pytest.fixture
def communes(db):
    return {commune.slug: commune for commune in Commune.objects.all()}


@pytest.fixture
def directory(home):
    return bf.association_directory(home)


@pytest.fixture
def listing(home):
    return bf.missions_listing(home)


@pytest.fixture
def comite(directory, communes):
    association = bf.AssociationPageFactory(
        parent=directory,
        title="Comité des fêtes d'Andard",
        slug="comite-des-fetes",
        contact_email="comite@fetes-andard.example.org",
        looking_for_volunteers=True,
        meeting_place="Salle des fêtes d'Andard",
        meeting_times="Le premier lundi du mois",
    )
    association.communes.set([communes["andard"]])
    association.fields.set([bf.ActivityFieldFactory(name="Animation locale", slug="animation")])
    association.save_revision().publish()
    return association


@pytest.fixture
def mission(comite, communes):
    return bf.MissionPageFactory(
        parent=comite,
        title="Tenir la buvette du marché de Noël",
        slug="buvette",
        commune=communes["andard"],
        volunteers_needed=2,
    )


# Bénévolat's admin -----------------------------------------------------------------------

MODERATORS = "Communication — modérateurs"
EDITORS = "Communication — rédacteurs"


@pytest.fixture
def world(home):
    """Two associations with their members, a mission each, requests for both; the
    communication team (a moderator and an editor); a citizen with no role."""
    directory = bf.association_directory(home)
    listing = bf.missions_listing(home)
    comite = bf.AssociationPageFactory(parent=directory, title="Comité des fêtes d'Andard")
    foot = bf.AssociationPageFactory(parent=directory, title="US Loire-Authion football")
    mission_a = bf.MissionPageFactory(parent=comite, title="Buvette du marché de Noël")
    mission_b = bf.MissionPageFactory(parent=foot, title="Encadrer les U9")
    mission_ccas = bf.MissionPageFactory(parent=listing, title="Colis du CCAS", structure="ccas")
    member_a = UserFactory(username="claire", email="claire@comite.example.org")
    member_a.groups.add(ensure_members_group(comite))
    member_b = UserFactory(username="karim", email="karim@foot.example.org")
    member_b.groups.add(ensure_members_group(foot))
    moderator = UserFactory(
        username="moderatrice", email="com@loire-authion.example.org", groups=[MODERATORS]
    )
    editor = UserFactory(username="redacteur", groups=[EDITORS])
    citizen = UserFactory(username="habitant")
    request_a = bf.VolunteerRequestFactory(mission=mission_a, name="Jeanne pour le comité")
    request_b = bf.VolunteerRequestFactory(mission=mission_b, name="Paul pour le foot")
    request_ccas = bf.VolunteerRequestFactory(mission=mission_ccas, name="Léa pour le CCAS")
    general = bf.VolunteerRequestFactory(mission=None, name="Offre générale de Zoé")
    return locals()
