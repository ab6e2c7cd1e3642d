import os

import pytest

from tests import factories

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
