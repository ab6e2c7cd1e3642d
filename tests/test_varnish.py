"""Beyond one machine (issue 16): two application servers sharing PostgreSQL and
Redis behind Varnish. A publication on one purges Varnish and the other server's
cache by the page's tags, and nothing else; sessions, rate limits and login
lockouts are shared. Real processes: Varnish from Debian's packages (with the xkey
module of varnish-modules), gunicorn, Redis, PostgreSQL (CI's database)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest
import requests

from bench.server import PROJECT_DIR, free_port, start_gunicorn, stop
from tests import factories
from tests.conftest import redis_database_url
from tests.factories import actions, events

# The shared cache (`shared_redis`), which the test process uses too, as a third
# server: databases 12 and 13 with two test workers.
REDIS_URL = redis_database_url(12)

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASE_IS_POSTGRES, reason="PostgreSQL only: servers in other processes"
    ),
    pytest.mark.skipif(shutil.which("varnishd") is None, reason="varnishd not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_varnish(tmp_path, port, backend_ports):
    """varnishd in the foreground on `port`, with the site's VCL in front of the
    servers on `backend_ports` (round robin, as deploy/varnish/default.vcl)."""
    backends = "\n".join(
        f'backend app{n} {{ .host = "127.0.0.1"; .port = "{p}"; }}'
        for n, p in enumerate(backend_ports, 1)
    )
    adds = "\n".join(f"    apps.add_backend(app{n});" for n in range(1, len(backend_ports) + 1))
    # varnishd reads the VCL as its own unprivileged user: not from pytest's
    # private temporary folder.
    tmp_path = Path(tempfile.mkdtemp(prefix="varnish-test-"))
    tmp_path.chmod(0o755)
    vcl = tmp_path / "test.vcl"
    vcl.write_text(
        f"vcl 4.1;\nimport directors;\n{backends}\n"
        f"sub vcl_init {{\n    new apps = directors.round_robin();\n{adds}\n}}\n"
        'include "ville-citoyenne.vcl";\n'
    )
    process = subprocess.Popen(  # noqa: S603
        [
            shutil.which("varnishd"),
            "-F",
            "-n",
            str(tmp_path / "varnish"),
            "-a",
            f"127.0.0.1:{port}",
            "-p",
            f"vcl_path={PROJECT_DIR / 'deploy' / 'varnish'}",
            "-f",
            str(vcl),
            "-s",
            "malloc,64m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "varnishd.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(base + "/robots.txt", timeout=5)
            return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("varnishd did not start: " + (tmp_path / "varnishd.log").read_text())


@pytest.fixture
def servers(tmp_path, shared_redis, settings):
    """Two gunicorn servers (a and b) on the test database and the shared Redis,
    behind Varnish (front), which both purge."""
    front_port = free_port()
    front = f"http://127.0.0.1:{front_port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "FRONTEND_CACHE_PURGE_URL": front,
    }
    settings.FRONTEND_CACHE_PURGE_URLS = [front]
    started = []
    varnish = None
    try:
        for _ in range(2):
            started.append(
                start_gunicorn(
                    sys.executable,
                    "ville_citoyenne.wsgi",
                    env,
                    workers=1,
                    options=["--timeout=60"],
                    seconds=90,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        ports = [base.rsplit(":", 1)[1] for _, base in started]
        varnish, front = start_varnish(tmp_path, front_port, ports)
        yield {"front": front, "a": started[0][1], "b": started[1][1]}
    finally:
        for process, _ in started:
            stop(process)
        if varnish is not None:
            varnish.terminate()
            varnish.wait(timeout=30)


@pytest.fixture
def commune(db):
    home = factories.make_site_home()
    plan = actions.action_plan(home)
    linked = actions.ActionPageFactory(parent=plan, title="Créer un conseil des jeunes")
    other = actions.ActionPageFactory(parent=plan, title="Ouvrir un jardin partagé")
    agenda = events.agenda(home)
    event = events.EventPageFactory(
        parent=agenda, title="Réunion du conseil des jeunes", place_name="Salle des fêtes"
    )
    event.related_actions.set([linked])
    event.save_revision().publish()
    legal = factories.StandardPageFactory(parent=home, title="Mentions légales")
    factories.UserFactory(username="agent", is_staff=True, is_superuser=True)
    return {
        "agenda": agenda.url,
        "event": event.url,
        "linked": linked.url,
        "other": other.url,
        "legal": legal.url,
        "plan": plan.url,
        "event_pk": event.pk,
    }


def through(base, path, **kwargs):
    return requests.get(base + path, timeout=30, **kwargs)


PASSWORD = "correct horse battery"


@pytest.mark.browser
def test_a_publication_on_one_server_purges_varnish_and_the_other_server(servers, commune, page):
    front = servers["front"]
    public = ["agenda", "event", "linked", "other", "legal", "plan"]
    for name in public:
        through(front, commune[name])
        assert through(front, commune[name]).headers["X-Cache"] == "HIT", name
    assert "Salle des fêtes" in through(servers["b"], commune["event"]).text

    # An editor publishes a new place for the event, in the admin of server a.
    page.goto(servers["a"] + "/admin/login/")
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(servers["a"] + "/admin/")
    page.goto(f"{servers['a']}/admin/pages/{commune['event_pk']}/edit/")
    page.locator("#id_place_name").fill("Salle Jeanne-d'Arc")
    page.evaluate("document.querySelector(\"button[name='action-publish']\").click()")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    # Varnish and server b forget the event, its agenda and its action...
    for name in ["event", "agenda", "linked"]:
        response = through(front, commune[name])
        assert response.headers["X-Cache"] == "MISS", name
        assert "Salle Jeanne-d&#x27;Arc" in response.text or "Salle Jeanne-d'Arc" in response.text
    assert "Salle Jeanne-d" in through(servers["b"], commune["event"]).text
    # ...and keep every other page.
    for name in ["other", "legal", "plan"]:
        assert through(front, commune[name]).headers["X-Cache"] == "HIT", name


def log_in(session, base, username, password):
    form = session.get(base + "/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return session.post(
        base + "/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        timeout=30,
        allow_redirects=False,
    )


def test_sessions_and_lockouts_are_shared_by_the_servers(servers, commune):
    agent = requests.Session()
    assert log_in(agent, servers["a"], "agent", PASSWORD).status_code == 302
    dashboard = agent.get(servers["b"] + "/admin/", timeout=30, allow_redirects=False)
    assert dashboard.status_code == 200  # the session made on a is known to b

    # Wrong passwords spread over both servers add up to one lockout.
    intruder = requests.Session()
    for attempt in range(5):
        server = servers["a"] if attempt % 2 else servers["b"]
        log_in(intruder, server, "agent", f"essai-{attempt}")
    refused = log_in(intruder, servers["a"], "agent", PASSWORD)
    assert refused.status_code in (403, 429)
    assert 'lang="fr"' in refused.text
