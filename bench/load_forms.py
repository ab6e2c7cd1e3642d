"""Issue 8's load test of the public forms: concurrent citizens send every kind of
form to gunicorn (2 workers, production settings, 127.0.0.1) on PostgreSQL, then the
database is checked: every accepted form stored exactly once, every refused one
answered with a 4xx and its French reason, never a 5xx.

    .venv/bin/python bench/load_forms.py                     # 16 clients, 2,000 forms
    .venv/bin/python bench/load_forms.py --clients 16 --forms 200

The forms are spread evenly over the four kinds: the idea box (idea, question, coup de
cœur, coup de gueule, report), a form page built by the team, a mission's "Je veux
aider" and a ceremony sign-up. Mixed in: a few bad forms (no consent, a bad email, a
filled honeypot), resent forms (the same one-time token twice, as a double click
does: stored once) and one address that sends more than the rate limit allows.
Expect a few minutes at full scale on a busy 2-core machine.

The rate limit (5 forms per address and form per hour) is kept as in production:
each simulated citizen comes from their own address, which a reverse proxy would put
in X-Forwarded-For; the site trusts one proxy (NUM_PROXIES=1), as the README says
to set behind nginx. The one-time token is drawn by the client (a UUID, as the form
would carry) instead of fetching the form again before each sending.

Without --database-url, a throwaway database is created, migrated and dropped.
Exits non-zero when a check fails; prints a summary either way.
"""

import argparse
import html
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
PYTHON = sys.executable
# Run as a file, this script sees bench/ but not the project it belongs to.
sys.path.insert(0, str(PROJECT_DIR))
from bench.server import free_port, start_gunicorn, stop  # noqa: E402

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
KINDS = ["expression", "form_page", "mission", "ceremony"]
# The French reason each kind of bad form must be told (HTML unescaped; Django words
# a model's and a form's email check differently).
REASONS = {
    "no_consent": "acceptez l'utilisation de vos données",
    "bad_email": r"Saisissez une adresse (de courriel|e-mail) valide",
    "honeypot": "Votre message semble automatisé",
    "rate_limited": "Vous avez envoyé beaucoup de formulaires en peu de temps",
}
EXPRESSION_KINDS = ["idea", "question", "praise", "complaint", "report"]


def say(message):
    print(f"[load] {message}", file=sys.stderr, flush=True)


def run(command, env, **kwargs):
    return subprocess.run(command, env=env, check=True, cwd=PROJECT_DIR, **kwargs)  # noqa: S603 - our own commands


# --- inside Django (subprocesses of this script) -------------------------------------


def django_setup():
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()


def setup_pages():
    """The four forms, built with the test factories; prints their addresses."""
    django_setup()
    from datetime import timedelta

    from django.utils import timezone

    from wagtail.models import Site

    from events.models import CeremonyKind
    from home.models import Commune, HomePage
    from tests import factories
    from tests.factories import benevolat as bf
    from tests.factories import events as ef
    from tests.factories import expression as xf

    home = HomePage.objects.filter(locale__language_code="fr").first()
    if home is None or Site.objects.get(is_default_site=True).root_page_id != home.pk:
        home = factories.make_site_home()
    form_page = xf.FormPageFactory(parent=home, title="Enquête de charge", slug="enquete-charge")
    xf.FormFieldFactory(
        page=form_page, label="Votre avis", field_type="radio", choices="Bon\nMoyen"
    )
    xf.FormFieldFactory(page=form_page, label="Votre remarque", field_type="singleline")
    ceremony = ef.CeremonyPageFactory(
        parent=ef.agenda(home),
        kind=CeremonyKind.PARENTHOOD,
        slug="ceremonie-charge",
        occurrences=ef.dates(timezone.now() + timedelta(days=30)),
    )
    mission = bf.association_mission(home, slug="mission-charge", volunteers_needed=5)
    pages = {
        "expression": xf.expression_page(home).url,
        "form_page": form_page.url,
        "mission": mission.url,
        "ceremony": ceremony.url,
        "commune": Commune.objects.first().pk,
    }
    print(json.dumps(pages))


def count_stored(run_id):
    """How many rows of each table carry each marker of this run."""
    django_setup()
    from wagtail.contrib.forms.models import FormSubmission

    from bénévolat.models import VolunteerRequest
    from events.models import CeremonyRegistration
    from expression.models import Submission

    pattern = re.compile(rf"LOAD-{run_id}-\d+")
    counts = Counter()
    texts = [
        Submission.objects.filter(subject__contains=run_id).values_list("subject", flat=True),
        VolunteerRequest.objects.filter(message__contains=run_id).values_list("message", flat=True),
        CeremonyRegistration.objects.filter(reason__contains=run_id).values_list(
            "reason", flat=True
        ),
        (json.dumps(data) for data in FormSubmission.objects.values_list("form_data", flat=True)),
    ]
    for rows in texts:
        for text in rows:
            counts.update(set(pattern.findall(text)))
    print(json.dumps(counts))


# --- the load ------------------------------------------------------------------------


def form_data(kind, marker, commune, bad):
    if kind == "expression":
        data = {
            "kind": EXPRESSION_KINDS[int(marker.rsplit("-", 1)[1]) % len(EXPRESSION_KINDS)],
            "subject": f"Message {marker}",
            "message": f"Texte du message {marker}, envoyé pendant le test de charge.",
            "commune": commune,
            "reply": "email",
            "name": "Camille Charge",
            "email": "camille.charge@example.org",
        }
    elif kind == "form_page":
        data = {"votre_avis": "Bon", "votre_remarque": marker}
    elif kind == "mission":
        data = {
            "name": "Jeanne Charge",
            "email": "jeanne.charge@example.org",
            "availability": "Le samedi",
            "message": f"Je peux aider. {marker}",
        }
    else:
        data = {
            "name": "Léa Charge",
            "email": "lea.charge@example.org",
            "guests": "2",
            "reason": f"Nous viendrons. {marker}",
        }
    data["consent"] = "on"
    data["website"] = ""
    if bad == "no_consent":
        del data["consent"]
    elif bad == "honeypot":
        data["website"] = "http://spam.example"
    elif bad == "bad_email":
        if kind == "form_page":  # it asks no email: refused for its consent instead
            del data["consent"]
            bad = "no_consent"
        else:
            data["email"] = "pas-une-adresse"
    return data, bad


def plan(total, run_id):
    """[(marker, kind, bad, address, resend)]: 3% bad forms, 3% resent, the rest good."""
    items = []
    for n in range(total):
        kind = KINDS[n % len(KINDS)]
        bad = None
        if n % 33 == 7:
            bad = ["no_consent", "bad_email", "honeypot"][(n // 33) % 3]
        address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        items.append((f"LOAD-{run_id}-{n}", kind, bad, address, n % 31 == 5 and not bad))
    # One address sends eleven idea-box messages: over the limit of 5 on at least one
    # of the two workers (without REDIS_URL each worker counts in its own memory).
    for extra in range(11):
        n = total + extra
        items.append((f"LOAD-{run_id}-{n}", "expression", None, "10.255.255.254", False))
    return items


def run_load(base, pages, items, clients, deadline):
    import requests

    citizen = threading.local()  # one client's connection and CSRF cookie

    def session():
        if not hasattr(citizen, "session"):
            citizen.session = requests.Session()
            citizen.csrf = {}
        return citizen.session

    def csrf(kind, headers):
        session()
        if kind not in citizen.csrf:
            response = session().get(base + pages[kind], headers=headers, timeout=30)
            cookie = response.cookies.get("csrftoken")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
            citizen.csrf[kind] = (cookie, token.group(1))
        return citizen.csrf[kind]

    def send(item):
        marker, kind, bad, address, resend = item
        if time.monotonic() > deadline:
            return marker, kind, bad, [None], ""
        headers = {
            # What nginx in front of the site would say (see README): HTTPS, and the
            # citizen's own address.
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": address,
            "Referer": base.replace("http://", "https://") + pages[kind],
        }
        data, bad = form_data(kind, marker, pages["commune"], bad)
        statuses, text = [], ""
        try:
            cookie, token = csrf(kind, headers)
            data.update(csrfmiddlewaretoken=token, form_token=str(uuid.uuid4()))
            for _attempt in range(2 if resend else 1):
                response = session().post(
                    base + pages[kind],
                    data=data,
                    headers={**headers, "Cookie": f"csrftoken={cookie}"},
                    allow_redirects=False,
                    timeout=60,
                )
                statuses.append(response.status_code)
                text = html.unescape(response.text)
        except requests.RequestException as error:
            statuses.append(599)  # counted as a server failure
            text = str(error)
        return marker, kind, bad, statuses, text

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(send, items))


def check(results, stored):
    problems = []
    summary = Counter()
    for marker, kind, bad, statuses, text in results:
        status = statuses[-1]
        if status is None:
            problems.append(f"{marker}: not sent before the time limit")
            continue
        if any(code >= 500 for code in statuses):
            problems.append(f"{marker} ({kind}): server error {statuses}")
        elif len(set(statuses)) > 1:
            problems.append(f"{marker} ({kind}): resent form answered {statuses}")
        if status < 400:
            summary["accepted"] += 1
            summary[f"accepted {kind}"] += 1
            summary["resent"] += len(statuses) - 1
            if stored.get(marker, 0) != 1:
                problems.append(f"{marker} ({kind}): accepted, stored {stored.get(marker, 0)}×")
            if bad:
                problems.append(f"{marker} ({kind}): a bad form ({bad}) was accepted")
        elif status < 500:
            summary["refused"] += 1
            reason = "rate_limited" if status == 429 else bad
            summary[f"refused {reason}"] += 1
            if stored.get(marker, 0):
                problems.append(f"{marker} ({kind}): refused ({status}) but stored")
            if reason is None or not re.search(REASONS[reason], text):
                problems.append(f"{marker} ({kind}): refused ({status}) without its French reason")
    if not summary["refused rate_limited"]:
        problems.append("the address over the rate limit was never refused")
    return summary, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--forms", type=int, default=2000, help="forms in all, every kind")
    parser.add_argument("--database-url", help="a migrated database to use (kept)")
    parser.add_argument("--time-limit", type=float, default=170, help="seconds for the load")
    args = parser.parse_args(argv)

    started = time.monotonic()
    run_id = secrets.token_hex(4)
    work = Path(tempfile.mkdtemp(prefix="vc-load-"))
    database = args.database_url
    throwaway = None
    if database is None:
        throwaway = f"vc_load_{run_id}"
        database = f"{SERVER}/{throwaway}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ville_citoyenne.settings.production",
        "PYTHONPATH": str(PROJECT_DIR),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": database,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "NUM_PROXIES": "1",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        # Nothing listens there: every email waits in the queue, as in an outage.
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(free_port()),
    }
    server = None
    try:
        if throwaway:
            say(f"creating and migrating the throwaway database {throwaway}")
            run(["createdb", "-h", "127.0.0.1", "-U", "postgres", throwaway], env)
            run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        if messages_stale():
            run([PYTHON, "manage.py", "compilemessages", "--ignore=.venv", "-v", "0"], env)
        setup = run([PYTHON, __file__, "setup"], env, capture_output=True)
        pages = json.loads(setup.stdout)
        server, base = start_gunicorn(PYTHON, "ville_citoyenne.wsgi", env, seconds=60)
        items = plan(args.forms, run_id)
        say(f"{len(items)} forms from {args.clients} clients to {base}")
        load_started = time.monotonic()
        results = run_load(base, pages, items, args.clients, load_started + args.time_limit)
        load_seconds = time.monotonic() - load_started
        counted = run([PYTHON, __file__, "count", run_id], env, capture_output=True)
        summary, problems = check(results, json.loads(counted.stdout))
    finally:
        if server is not None:
            stop(server)
        if throwaway:
            run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", throwaway], env)
        subprocess.run(["rm", "-rf", str(work)], check=False)  # noqa: S603, S607
    report = {
        "forms": len(results),
        "clients": args.clients,
        "load_seconds": round(load_seconds, 1),
        "forms_per_second": round(len(results) / load_seconds, 1),
        "total_seconds": round(time.monotonic() - started, 1),
        **dict(sorted(summary.items())),
        "problems": problems[:20],
        "problem_count": len(problems),
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if problems else 0


def messages_stale():
    """Whether a French catalogue is newer than its compiled file (the French reasons
    the checks look for come from those)."""
    for po in PROJECT_DIR.glob("**/locale/fr/LC_MESSAGES/django.po"):
        if ".venv" in po.parts:
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return True
    return False


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        setup_pages()
    elif sys.argv[1:2] == ["count"]:
        count_stored(sys.argv[2])
    else:
        sys.exit(main())
