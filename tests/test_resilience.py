"""What happens when things break: PostgreSQL out of reach answers a French 503 page
and the site comes back by itself; a backup made with pg_dump restores into a fresh
database that serves the same pages. PostgreSQL only (CI's database)."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

import pytest
import requests

from bench.server import free_port, start_gunicorn, stop
from tests import factories

POSTGRES_ONLY = pytest.mark.skipif(
    not settings.DATABASE_IS_POSTGRES, reason="PostgreSQL only (pg_dump, a real server)"
)

THEME_VERSION = re.compile(rb"(?<=theme\.css)\?v=\d+")


class DatabaseLink:
    """A TCP relay from 127.0.0.1:<port> to PostgreSQL, which the test cuts (as if
    the database server had stopped) and restores on the same port."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self.sockets = []
        self.listener = None

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def database_url(name, port=None):
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{port or db['PORT'] or 5432}/{name}"
    )


def serve(database):
    """The site in gunicorn (one worker, the test settings), in its own process:
    (process, its address)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ville_citoyenne.settings.test",
        "DATABASE_URL": database,
        "DATABASE_CONN_MAX_AGE": "60",
    }
    return start_gunicorn(
        sys.executable,
        "ville_citoyenne.wsgi",
        env,
        workers=1,
        options=["--timeout=20"],
        seconds=20,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_postgresql_pages_answer_a_french_503_and_the_site_recovers_by_itself():
    home = factories.make_site_home()
    admin = Client()
    admin.force_login(factories.UserFactory(username="agent", is_staff=True, is_superuser=True))
    session = {"sessionid": admin.cookies["sessionid"].value}

    link = DatabaseLink((connection.settings_dict["HOST"] or "127.0.0.1", 5432))
    link.start()
    server, site = serve(database_url(connection.settings_dict["NAME"], link.port))

    def get(path, **kwargs):
        # A new search each time: the page cache, keyed by what a page reads (for the
        # search, its words), must not answer for the database.
        path = path.replace("?q=loire", f"?q=loire+{uuid.uuid4().hex}")
        return requests.get(f"{site}{path}", timeout=15, **kwargs)

    try:
        assert get(home.url).status_code == 200
        assert get("/recherche/?q=loire").status_code == 200
        assert get("/admin/", cookies=session).status_code == 200

        link.cut()
        # Pages that read the database on every visit (the home page may come whole
        # from the cache, which is as good as it gets during an outage).
        for path, cookies in [("/recherche/?q=loire", None), ("/admin/", session)]:
            down = get(path, cookies=cookies, allow_redirects=False)
            assert down.status_code == 503, (path, down.status_code)
            assert "Site momentanément indisponible" in down.text
            assert 'lang="fr"' in down.text and "Traceback" not in down.text
            assert int(down.headers["Retry-After"]) > 0

        link.start()  # PostgreSQL is back: no restart of the site
        assert get("/recherche/?q=loire").status_code == 200
        assert get("/admin/", cookies=session).status_code == 200
    finally:
        stop(server)
        link.cut()


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_pg_dump_backup_restores_into_a_fresh_database_that_serves_the_same_pages(tmp_path):
    home = factories.make_site_home()
    pages = [
        home,
        factories.StandardPageFactory(parent=home, title="Le projet citoyen"),
        factories.PersonalDataPageFactory(parent=home),
    ]
    urls = [page.url for page in pages] + ["/en/", "/sitemap.xml"]
    factories.translate(home)

    def fetch_all():
        cache.clear()
        client = Client()
        responses = [client.get(url) for url in urls]
        assert [response.status_code for response in responses] == [200] * len(urls)
        # The theme's address names the cache's generation, new after each clear.
        return [THEME_VERSION.sub(b"", response.content) for response in responses]

    original = fetch_all()
    db = connection.settings_dict
    name = db["NAME"]
    restored = f"{name}_restored"
    dump = tmp_path / "ville_citoyenne.dump"
    pg = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    target = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    run = [shutil.which("pg_dump"), *target, "-Fc", "--no-owner", "-f", str(dump), name]
    subprocess.run(run, check=True, env=pg, timeout=60)  # noqa: S603
    subprocess.run(  # noqa: S603
        [shutil.which("dropdb"), *target, "--if-exists", restored], check=True, env=pg, timeout=30
    )
    subprocess.run([shutil.which("createdb"), *target, restored], check=True, env=pg, timeout=30)  # noqa: S603
    try:
        subprocess.run(  # noqa: S603
            [shutil.which("pg_restore"), *target, "--no-owner", "-d", restored, str(dump)],
            check=True,
            env=pg,
            timeout=120,
        )
        connection.close()
        connection.settings_dict["NAME"] = restored
        try:
            assert fetch_all() == original
        finally:
            connection.close()
            connection.settings_dict["NAME"] = name
    finally:
        subprocess.run(  # noqa: S603
            [shutil.which("dropdb"), *target, "--if-exists", restored], env=pg, timeout=30
        )
