"""The generation and tags' versions kept in a worker until Redis says they changed
(ville_citoyenne.cache.WatchedKeys), against the real Redis of the machine: a page
served from a worker's memory costs no round trip to Redis, and a change made by
any other server is seen by the next read."""

import os
import time
import uuid

from django.core.cache import caches

import pytest

from home import page_cache
from tests.conftest import redis_database_url
from ville_citoyenne.cache import RedisCache

# The shared cache (`shared_redis`): databases 10 and 11 with two test workers.
REDIS_URL = redis_database_url(10)
PREFIX = "ville-citoyenne"


@pytest.fixture
def here(shared_redis):
    """This worker's cache."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": PREFIX})


@pytest.fixture
def other_server(shared_redis):
    """Another server's cache: its writes reach this worker through Redis alone."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": PREFIX})


class RoundTrips:
    """Counts the commands this worker sends on its watching connection (the
    connection stays real: Redis answers them)."""

    def __init__(self, watched, monkeypatch):
        self.count = 0
        connection = watched._ready()
        send = connection.send_command

        def counted(*args, **kwargs):
            self.count += 1
            return send(*args, **kwargs)

        monkeypatch.setattr(connection, "send_command", counted)


def seen(read, expected):
    """Redis sends its message in the instant it answers the writer; the message may
    still be on its way when the writer, in this same process, reads next. Read again
    while it is (never more than a second)."""
    deadline = time.monotonic() + 1
    while read() != expected and time.monotonic() < deadline:
        time.sleep(0.001)
    return read() == expected


def test_a_value_read_once_is_read_again_without_asking_redis(here, monkeypatch):
    here.set("page-tag:events", "v1", None)
    assert here.watched.get_many(["page-tag:events", "absent"]) == {"page-tag:events": "v1"}
    trips = RoundTrips(here.watched, monkeypatch)

    for _ in range(3):
        assert here.watched.get_many(["page-tag:events"]) == {"page-tag:events": "v1"}
    assert trips.count == 0
    # A key Redis does not hold is asked for each time: it may be added any moment.
    assert here.watched.get_many(["absent"]) == {}
    assert trips.count == 1


def test_a_change_made_by_another_server_is_seen_by_the_next_read(here, other_server):
    here.set("site-generation", 7, None)
    assert here.watched.get_many(["site-generation"]) == {"site-generation": 7}

    other_server.incr("site-generation")
    assert seen(lambda: here.watched.get_many(["site-generation"]), {"site-generation": 8})

    other_server.delete("site-generation")
    assert seen(lambda: here.watched.get_many(["site-generation"]), {})


def test_this_process_forgets_what_it_writes_at_once(here):
    here.set("page-tag:events", "v1", None)
    here.watched.get_many(["page-tag:events"])

    here.set("page-tag:events", "v2", None)
    here.watched.forget(["page-tag:events"])
    assert here.watched.get_many(["page-tag:events"]) == {"page-tag:events": "v2"}


def test_a_flushed_redis_forgets_every_kept_value(here, shared_redis):
    here.set_many({"page-tag:events": "v1", "site-generation": 3}, None)
    here.watched.get_many(["page-tag:events", "site-generation"])

    shared_redis.flushdb()
    assert seen(lambda: here.watched.get_many(["page-tag:events", "site-generation"]), {})


def test_a_lost_connection_forgets_what_it_kept_and_reads_through(here, other_server, shared_redis):
    """Redis restarted, or the connection cut: the messages sent meanwhile are lost,
    so nothing kept before is trusted again."""
    here.set("page-tag:events", "v1", None)
    here.watched.get_many(["page-tag:events"])
    watching = here.watched._connection
    watching.send_command("CLIENT", "ID")
    shared_redis.client_kill_filter(_id=watching.read_response())
    other_server.set("page-tag:events", "v2", None)

    assert here.watched.get_many(["page-tag:events"]) == {"page-tag:events": "v2"}
    assert here.watched.get_many(["page-tag:events"]) == {"page-tag:events": "v2"}
    assert here.watched._connection is not watching


def test_a_connection_opened_before_a_fork_is_left_to_the_parent(here, other_server):
    here.set("page-tag:events", "v1", None)
    here.watched.get_many(["page-tag:events"])
    parents = here.watched._connection
    here.watched._pid = -1  # as seen from a forked worker: another process opened it

    other_server.set("page-tag:events", "v2", None)
    assert here.watched.get_many(["page-tag:events"]) == {"page-tag:events": "v2"}
    assert here.watched._connection is not parents


# The page cache on Redis ------------------------------------------------------------------


@pytest.fixture
def event_site(shared_redis, client, db):
    from tests import factories
    from tests.factories.events import EventPageFactory, agenda

    return EventPageFactory(parent=agenda(factories.make_site_home()), title="Conseil des jeunes")


def test_a_page_in_a_workers_memory_is_served_without_a_round_trip_to_redis(
    client, event_site, monkeypatch
):
    client.get(event_site.url)
    client.get(event_site.url)
    backend = caches["default"]
    trips = RoundTrips(backend.watched, monkeypatch)
    reads = []
    monkeypatch.setattr(backend, "get_many", lambda *a, **k: reads.append(a) or {})
    monkeypatch.setattr(backend, "get", lambda *a, **k: reads.append(a))

    response = client.get(event_site.url)
    assert response.status_code == 200
    assert "Conseil des jeunes" in response.text
    assert "public" in response["Cache-Control"]
    assert trips.count == 0 and reads == []


def test_a_purge_by_another_server_forgets_the_page_kept_in_a_workers_memory(
    client, event_site, other_server
):
    client.get(event_site.url)
    type(event_site).objects.filter(pk=event_site.pk).update(title="Conseil des jeunes, reporté")
    assert "reporté" not in client.get(event_site.url).text  # still current

    tag = page_cache.page_tag(event_site)
    other_server.set(page_cache._tag_key(tag), uuid.uuid4().hex, None)
    assert seen(lambda: "reporté" in client.get(event_site.url).text, True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorns_master_leaves_no_watching_connection_to_its_workers(shared_redis):
    """The master's visit before the fork reads the generation through the watching
    connection; a worker must never read the master's messages."""
    from django.core.handlers.wsgi import WSGIHandler

    from home.warmup import visit_before_fork
    from tests import factories

    factories.make_site_home()
    watched = caches["default"].watched
    opened = []
    real_ready = watched._ready

    def ready():
        opened.append(real_ready())
        return opened[-1]

    watched._ready = ready
    visit_before_fork(WSGIHandler())

    assert opened and watched._connection is None
    assert not opened[-1].is_connected


@pytest.fixture
def redis_refusing_tracking(shared_redis):
    """A Redis account that may not run CLIENT commands (an ACL, as some hosted Redis
    have), on this test's database."""
    user = f"vc-no-tracking-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    shared_redis.acl_setuser(
        user,
        enabled=True,
        nopass=True,
        keys=["~*"],
        channels=["&*"],
        commands=["+@all", "-client"],
        reset=True,
    )
    yield REDIS_URL.replace("redis://", f"redis://{user}:unused@")
    shared_redis.acl_deluser(user)


def test_a_redis_refusing_tracking_is_read_through_and_asked_again_later(
    redis_refusing_tracking, other_server, caplog, monkeypatch
):
    here = RedisCache(redis_refusing_tracking, {"KEY_PREFIX": PREFIX})
    other_server.set("page-tag:events", "v1", None)
    assert here.watched.get_many(["page-tag:events"]) == {"page-tag:events": "v1"}
    assert "without Redis's messages" in caplog.text

    tries = []
    real_ready = here.watched._ready
    monkeypatch.setattr(here.watched, "_ready", lambda: tries.append(1) or real_ready())
    other_server.set("page-tag:events", "v2", None)
    assert here.watched.get_many(["page-tag:events"]) == {"page-tag:events": "v2"}
    assert tries == []  # not at every request

    monkeypatch.setattr(here.watched, "_retry_at", 0)  # the wait is over
    assert here.watched.get_many(["page-tag:events"]) == {"page-tag:events": "v2"}
    assert tries == [1]
