"""Issue 8's load test, at a scale the suite can afford: 16 concurrent clients send
every kind of public form to gunicorn (2 workers, production settings) on this run's
PostgreSQL test database. bench/load_forms.py does the work and the checks; its full
scale (2,000 forms) is run by hand (see README)."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.load
@pytest.mark.skipif(not settings.DATABASE_IS_POSTGRES, reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixteen_clients_send_forms_each_accepted_one_is_stored_once_and_none_fails():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    result = subprocess.run(  # noqa: S603 - the project's own script
        [
            sys.executable,
            str(ROOT / "bench" / "load_forms.py"),
            "--clients=16",
            "--forms=80",
            f"--database-url={url}",
            "--time-limit=90",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["problem_count"] == 0
    assert report["accepted"] >= 60
    assert all(
        report[f"accepted {kind}"] for kind in ["expression", "form_page", "mission", "ceremony"]
    )
    assert report["refused rate_limited"] >= 1 and report["resent"] >= 1
    assert report["refused no_consent"] and report["refused honeypot"]
