"""The benchmark of issues 7 and 16: the site on a large dataset, served by gunicorn
with the production settings, measured page by page against its budgets.

One file of over 500 lines: a single script the benchmark runs top to bottom, step by step.

    .venv/bin/python bench/run.py --reuse      # what to run (builds the dataset once)
    .venv/bin/python bench/run.py --lighthouse-only http://127.0.0.1:8000
        # Lighthouse alone, on a site already running (e.g. the demo of `make serve`),
        # its pages found in the database DATABASE_URL names

1. Builds the dataset (bench/dataset.py) in PostgreSQL database `vc_bench`, or with
   --reuse restores the dump a previous build left in bench/.cache/.
2. Serves the site with gunicorn (2 workers, 127.0.0.1, production settings through
   bench/settings.py), twice: the full-page cache off ("uncached"), then on ("cached").
3. For each page: SQL queries of one request, warm and cold (the first render after a
   publication: a new site generation, then the task worker), median and p95 of sequential
   requests, requests per second under 16 connections (wrk for both), its ratio to a
   static file served by the same server, and wrk's own ceiling (Varnish answering from
   memory); CSS and JavaScript weight, images; first visit of a freshly published page
   with a photo against warm visits; peak resident memory of a worker; Lighthouse's
   mobile scores; what a change makes the page cache forget (bench/invalidation.py) and
   a fresh worker's first request (bench/cold_start.py), run as subprocesses.
4. Prints one Markdown report with PASS/FAIL per budget and writes it to bench/RESULTS.md
   (the sections after "## Routing" are kept). Exits non-zero on a failed budget only
   with --strict.
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"
# The project's virtualenv, whichever Python runs this script (it needs only the
# standard library).
VENV_PYTHON = PROJECT_DIR / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
# Run as a file, this script sees bench/ but not the project it belongs to.
sys.path.insert(0, str(PROJECT_DIR))
from bench.server import free_port, start_gunicorn, stop  # noqa: E402

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

# Budgets of issues 7 and 16.
MAX_QUERIES = 12
CACHED_SHARE_OF_STATIC = 0.5
MAX_UNCACHED_MEDIAN_MS = 25
# The pages showing one thing (issue 16): their median is held lower.
MAX_DETAIL_MEDIAN_MS = 15
DETAIL_PAGES = ("event page", "association page", "mission page", "search")
MAX_P95_TO_MEDIAN = 2
MAX_FIRST_VISIT_FACTOR = 2
MAX_WORKER_RSS_MB = 200
MAX_ASSETS_KB = 100
MIN_LIGHTHOUSE = 95
IMAGE_FORMATS = (".webp", ".avif")


def say(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(command, env=None, **kwargs):
    return subprocess.run(command, env=env, check=True, cwd=PROJECT_DIR, **kwargs)  # noqa: S603 - the benchmark's own commands


def psql(sql, database="postgres"):
    host = SERVER.split("://", 1)[1]
    user, address = host.split("@")
    hostname, port = address.split(":")
    command = ["psql", "-h", hostname, "-p", port, "-U", user, "-qAt", "-c", sql, database]
    return run(command, capture_output=True, text=True).stdout.strip()


def base_env(args, media_root, static_root):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(PROJECT_DIR),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": f"{SERVER}/{args.database}",
        "ALLOWED_HOSTS": "127.0.0.1",
        # gunicorn is reached over plain HTTP here; the secure cookies stay on, which
        # anonymous GETs do not mind.
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
    }


# --- 1. the dataset -------------------------------------------------------------------


def prepare_dataset(args, env):
    dump = CACHE_DIR / f"dataset-scale-{args.scale:g}.dump"
    psql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{args.database}"')
    if args.reuse and dump.exists():
        say(f"restoring {dump.name} into {args.database}")
        run(["pg_restore", "--no-owner", "-j", "2", "-d", env["DATABASE_URL"], str(dump)])
        try:  # the migrations added since the dump was made
            run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env=env)
            return
        except subprocess.CalledProcessError:
            say("the dump does not fit today's migrations: building the dataset again")
            psql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            psql(f'CREATE DATABASE "{args.database}"')
    say(f"building the dataset at scale {args.scale:g} (about 15 minutes at scale 1)")
    # Images go to a folder of their own until the dump is made: a failed build leaves
    # the previous dump and its media as they were.
    media_root = Path(env["MEDIA_ROOT"])
    building = media_root.with_name(media_root.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env=env)
    build_env = {**env, "MEDIA_ROOT": str(building), "BENCH_IMMEDIATE_TASKS": "true"}
    run([PYTHON, "-m", "bench.dataset", "--scale", str(args.scale)], env=build_env)
    run(["pg_dump", "-Fc", "-f", f"{dump}.building", env["DATABASE_URL"]])
    shutil.rmtree(media_root, ignore_errors=True)
    building.rename(media_root)
    Path(f"{dump}.building").rename(dump)
    say(f"dataset saved to {dump} (reuse it with --reuse)")


def page_urls(env):
    """The pages measured, found in the built database."""
    script = """
import json
from django.db.models import Count
from wagtail.models import Locale
from actions.models import ActionIndexPage, ActionPage
from bénévolat.models import AssociationIndexPage, AssociationPage, MissionIndexPage, MissionPage
from events.models import EventIndexPage, EventPage
from expression.models import QuestionsAnswersPage
from home.warmup import one_page_of_each_type
french = Locale.objects.get(language_code="fr")
# Not a page each worker visits at its start (home/warmup.py): the cold start measures
# the first visitor of a page the worker has not made yet.
fr = dict(locale=french, live=True)
visited = [page.pk for page in one_page_of_each_type()]
agenda = EventIndexPage.objects.get(**fr)
event = EventPage.objects.filter(**fr, image__isnull=False).exclude(repeat="") \
    .exclude(pk__in=visited).first() or EventPage.objects.filter(**fr).first()
association = AssociationPage.objects.filter(**fr).annotate(n=Count("events")) \
    .order_by("-n").first()
action = ActionPage.objects.filter(**fr).exclude(pk__in=visited).order_by("number")
action = max(action, key=lambda page: sum(len(i.value["measurements"]) for i in page.indicators))
print(json.dumps({
    "home": "/",
    "plan index": ActionIndexPage.objects.get(**fr).url,
    "action page (charts)": action.url,
    "agenda": agenda.url,
    "agenda filtered": agenda.url + "?commune=corne&public=familles",
    "event page": event.url,
    "association directory": AssociationIndexPage.objects.get(**fr).url,
    "association page": association.url,
    "missions listing": MissionIndexPage.objects.get(**fr).url,
    "mission page": MissionPage.objects.filter(**fr).order_by("pk").first().url,
    "questions and answers": QuestionsAnswersPage.objects.get(**fr).url,
    "search": "/recherche/?q=benevolat",
}))
"""
    output = run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", script],
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- 2. the server ----------------------------------------------------------------------


class Server:
    """gunicorn with 2 workers, as the README's release steps start it."""

    def __init__(self, env, page_cache):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "BENCH_COUNT_QUERIES": "true",
            "BENCH_PAGE_CACHE": "true" if page_cache else "false",
            **self.site_address(),
        }

    def site_address(self):
        """The site's address, as production's WAGTAILADMIN_BASE_URL is the one its
        visitors use: the visits made in advance (gunicorn's start, the task worker's)
        make the pages of that address."""
        return {"WAGTAILADMIN_BASE_URL": self.base}

    def __enter__(self):
        self.process, _ = start_gunicorn(PYTHON, "bench.wsgi", self.env, port=self.port)
        return self

    def __exit__(self, *exc):
        stop(self.process)

    def worker_peak_rss_mb(self):
        """VmHWM (peak resident set) of each worker, in MB."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        peaks = []
        for child in children:
            status = Path(f"/proc/{child}/status").read_text()
            kilobytes = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
            peaks.append(kilobytes / 1024)
        return peaks


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# --- 3. the measurements ----------------------------------------------------------------


def wrk(url, connections, seconds, headers=()):
    command = [
        "wrk",
        "-t",
        str(min(2, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH_DIR / "report.lua"),
        *(option for header in headers for option in ("-H", header)),
        url,
    ]
    output = run(command, capture_output=True, text=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    report["median_ms"] = report["median_us"] / 1000
    report["p95_ms"] = report["p95_us"] / 1000
    return report


# Varnish answering every request from memory, without a backend: as fast as an HTTP
# server can answer, so what wrk reaches against it is wrk's own ceiling here.
CEILING_VCL = """vcl 4.1;
backend default none;
sub vcl_recv { return (synth(200)); }
sub vcl_synth {
    set resp.http.Content-Type = "text/plain";
    set resp.body = "ok";
    return (deliver);
}
"""


def wrk_ceiling(seconds):
    """wrk's requests per second under 16 connections against Varnish answering a
    synthetic 200, each connection closed after its response as gunicorn's sync
    workers close theirs; None without varnishd."""
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(varnishd).exists():
        return None
    with tempfile.TemporaryDirectory(prefix="vc-bench-varnish-") as folder:
        # Varnish compiles the VCL as its own unprivileged user.
        Path(folder).chmod(0o755)
        vcl = Path(folder) / "ceiling.vcl"
        vcl.write_text(CEILING_VCL)
        port = free_port()
        command = [varnishd, "-F", "-a", f"127.0.0.1:{port}", "-f", str(vcl)]
        command += ["-n", str(Path(folder) / "work"), "-s", "malloc,16m", "-T", "none"]
        process = subprocess.Popen(  # noqa: S603 - the benchmark's own command
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 30
            while True:
                try:
                    get(base)
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        return None
                    time.sleep(0.2)
            return wrk(base, 16, seconds, headers=["Connection: close"])["rps"]
        finally:
            process.terminate()
            process.wait(timeout=30)


def queries(url):
    status, headers, _ = get(url, {"X-Bench-Queries": "1"})
    return status, int(headers.get("X-Queries", "-1"))


def new_generation(env):
    """What a publication that changes every page's chrome does (a title, a menu, a
    new page: home/page_cache.py, bump_generation): the site's generation renewed in
    Redis, so every worker makes every cached value again, and the visit of the home
    and menu pages queued; then the task worker runs it, as production's db_worker does right
    after the publication."""
    script = "from home.page_cache import bump_generation; bump_generation()"
    run([PYTHON, "manage.py", "shell", "-v", "0", "-c", script], env=env)
    run([PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "-v", "0"], env=env)


def cold_queries(server, env, urls):
    """{name: SQL queries of the first render after a publication}: a new generation
    before each page, so the worker that answers builds everything the page reads
    (its route, translations and own computed values; the menu and footer, unless the
    task worker's visit of the home and menu pages made them already). None without Redis
    (the server's workers would not see the new generation)."""
    if not os.environ.get("REDIS_URL"):
        return dict.fromkeys(urls)
    env = {**env, **server.site_address()}
    counts = {}
    for name, path in urls.items():
        new_generation(env)
        counts[name] = queries(server.base + path)[1]
        say(f"cold {name}: {counts[name]} queries")
    return counts


# The first screen, as image_problems() tells it: the first content image of <main>
# with at most this much text before it in <main> (a title, a date line, a short
# introduction) is on it; a mobile screen holds little more.
FOLD_TEXT_CHARACTERS = 300


class Assets(HTMLParser):
    """The stylesheets, scripts and images a page links; for each image, whether it
    is in <main>, and how much text and how many images of <main> come before it."""

    def __init__(self):
        super().__init__()
        self.assets, self.images, self.in_picture, self.sources = [], [], False, []
        self.main_depth, self.main_text, self.main_seen = 0, 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main" or self.main_depth:
            self.main_depth += tag not in VOID_ELEMENTS
            self.main_seen = True
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.assets.append(attrs.get("href"))
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "picture":
            self.in_picture, self.sources = True, []
        elif tag == "source" and self.in_picture:
            self.sources.append(attrs)
        elif tag == "img":
            in_main = bool(self.main_depth)
            self.images.append(
                {
                    **attrs,
                    "sources": list(self.sources) if self.in_picture else [],
                    "in_main": in_main,
                    "in_header": not self.main_seen,
                    "text_before": self.main_text if in_main else None,
                    "images_before": sum(1 for i in self.images if i["in_main"] and not is_svg(i)),
                }
            )

    def handle_endtag(self, tag):
        if tag == "picture":
            self.in_picture = False
        if self.main_depth and tag not in VOID_ELEMENTS:
            self.main_depth -= 1

    def handle_data(self, data):
        if self.main_depth:
            self.main_text += len(" ".join(data.split()))


# Elements without an end tag: they open no level of <main>.
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}


def is_svg(image):
    return (image.get("src") or "").endswith(".svg")


def above_the_fold(image):
    """Whether an image is taken as on the first screen: marked so by the page
    (fetchpriority="high"), in the header (before <main>), or the first content
    image of <main> with at most FOLD_TEXT_CHARACTERS of text before it. There,
    loading="lazy" delays the Largest Contentful Paint; below, an image without it
    is fetched for nothing."""
    if image.get("fetchpriority") == "high" or image.get("in_header"):
        return True
    return (
        image.get("in_main", False)
        and image.get("images_before") == 0
        and image.get("text_before", FOLD_TEXT_CHARACTERS + 1) <= FOLD_TEXT_CHARACTERS
    )


def image_problems(images):
    """What keeps a page's images from the budget: a format other than WebP/AVIF, no
    srcset, lazy loading on the first screen or none below it (above_the_fold)."""
    problems = []
    for image in images:
        src = image.get("src") or ""
        if is_svg(image):
            continue
        srcsets = [image.get("srcset") or ""] + [s.get("srcset") or "" for s in image["sources"]]
        urls = [part.split()[0] for srcset in srcsets for part in srcset.split(",") if part.strip()]
        modern = [url for url in urls + ([src] if not image["sources"] else [])]
        if not all(url.lower().endswith(IMAGE_FORMATS) for url in modern):
            problems.append(f"{src.rsplit('/', 1)[-1]}: not WebP/AVIF")
        if not any(srcsets):
            problems.append(f"{src.rsplit('/', 1)[-1]}: no srcset")
        lazy = image.get("loading") == "lazy"
        if above_the_fold(image) and lazy:
            problems.append(f"{src.rsplit('/', 1)[-1]}: lazy above the fold")
        elif not above_the_fold(image) and not lazy:
            problems.append(f"{src.rsplit('/', 1)[-1]}: not lazy below the fold")
    return problems


def page_weight(base, html):
    """CSS and JavaScript the page links, in KB as sent compressed (gzip); what keeps
    its images from the budget; its images."""
    parser = Assets()
    parser.feed(html.decode("utf-8", "replace"))
    total = 0
    for asset in dict.fromkeys(parser.assets):
        if not asset.startswith("/"):
            continue  # the site loads nothing from elsewhere (its CSP forbids it)
        status, headers, body = get(base + asset, {"Accept-Encoding": "gzip"})
        if headers.get("Content-Encoding") != "gzip":
            body = gzip.compress(body, 9)
        total += len(body)
    return total / 1024, image_problems(parser.images), parser.images


def measure_pages(server, urls, args, cached):
    results = {}
    for name, path in urls.items():
        url = server.base + path
        for _ in range(3):  # warm the workers (template and code caches)
            get(url)
        sequential = wrk(url, 1, args.seconds)
        concurrent = wrk(url, 16, args.seconds)
        # Counted once wrk's 16 connections have reached both workers: a request to a
        # worker that has not served the page yet also fills its cache of the site
        # chrome (menu, footer, translations), which the budget does not measure.
        status, count = queries(url)
        _, headers, _ = get(url)
        results[name] = {
            "path": path,
            "status": status,
            # A page with a form (its CSRF token) is made for each visitor, never kept.
            "kept": "public" in (headers.get("Cache-Control") or ""),
            "queries": count,
            "median_ms": sequential["median_ms"],
            "p95_ms": sequential["p95_ms"],
            "sequential_requests": sequential["requests"],
            "rps": concurrent["rps"],
            "errors": sequential["socket_errors"] + concurrent["socket_errors"],
            "non_2xx": sequential["non_2xx"] + concurrent["non_2xx"],
        }
        say(
            f"{'cached' if cached else 'uncached'} {name}: {count} queries, "
            f"median {sequential['median_ms']:.1f} ms, {concurrent['rps']:.0f} req/s"
        )
    return results


def first_visit(server, env, pages=3):
    """New events, each with a new photo, are published and the task queue runs, as in
    production (db_worker); then each page is asked for the first time, and again.
    Medians over a few pages, as one first visit alone is at the mercy of noise."""
    env = {**env, **server.site_address()}
    output = run(
        [PYTHON, "-m", "bench.dataset", "--fresh-events", str(pages)],
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    paths = output.strip().splitlines()[-pages:]
    run([PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "-v", "0"], env=env)
    firsts, warm, statuses = [], [], set()
    for path in paths:
        for visit in range(11):
            started = time.perf_counter()
            status, _, _ = get(server.base + path)
            (warm if visit else firsts).append((time.perf_counter() - started) * 1000)
            statuses.add(status)
    return {
        "path": paths[0],
        "status": statuses.pop() if len(statuses) == 1 else sorted(statuses),
        "first_ms": statistics.median(firsts),
        "warm_ms": statistics.median(warm),
    }


LIGHTHOUSE_CATEGORIES = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best practices",
    "seo": "SEO",
}
LIGHTHOUSE_RETRIES = 2
# The pages Lighthouse audits (names of page_urls()).
LIGHTHOUSE_PAGES = [
    "home",
    "plan index",
    "action page (charts)",
    "agenda",
    "event page",
    "association page",
    "missions listing",
    "questions and answers",
]


def lighthouse_audit(binary, chrome, url):
    """One page's scores in the four categories (0-100) and, for each category below
    100, the titles of the audits that cost it points: what explains the score."""
    command = [
        str(binary),
        url,
        "--only-categories=" + ",".join(LIGHTHOUSE_CATEGORIES),
        "--output=json",
        "--quiet",
        "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking",
    ]
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chrome}
    )
    try:
        data = json.loads(result.stdout)
        scores, reasons = {}, {}
        for key in LIGHTHOUSE_CATEGORIES:
            category = data["categories"][key]
            scores[key] = round(category["score"] * 100)
            audits = [
                data["audits"][ref["id"]] for ref in category["auditRefs"] if ref.get("weight")
            ]
            # A metric's value says more than its name: "Largest Contentful Paint 2.6 s".
            reasons[key] = [
                " ".join(filter(None, [audit["title"], audit.get("displayValue")]))
                for audit in audits
                if audit.get("score") is not None and audit["score"] < 1
            ]
        return {"scores": scores, "reasons": reasons}
    except (ValueError, KeyError, TypeError):
        errors = [line for line in result.stderr.splitlines() if "rror" in line]
        return "failed: " + (errors or ["no output"])[0].strip()[:120]


def lighthouse(base, urls, names):
    """Lighthouse's mobile scores (its default emulation) of each page, or why not."""
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if shutil.which("npm") is None:
        return {name: "skipped: npm missing (apt-get install -y npm)" for name in names}
    if not Path(chrome).exists():
        return {name: f"skipped: no {chrome} (apt-get install -y chromium)" for name in names}
    binary = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        say("installing Lighthouse into bench/node_modules")
        run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(BENCH_DIR)])
    results = {}
    for name in names:
        # Chrome sometimes fails to record a page's trace ("Something went wrong with
        # recording the trace over your page load"), a page that scored 100 the run
        # before: such a failure is Lighthouse's, tried again twice before reported.
        for attempt in range(1 + LIGHTHOUSE_RETRIES):
            results[name] = lighthouse_audit(binary, chrome, base + urls[name])
            if not isinstance(results[name], str):
                break
            say(f"Lighthouse {name}, attempt {attempt + 1}: {results[name]}")
        say(f"Lighthouse {name}: {lighthouse_cell(results[name])}")
    return results


def lighthouse_cell(result):
    """A page's four scores in one cell: performance/accessibility/best practices/SEO."""
    if isinstance(result, str):
        return result
    return "/".join(str(result["scores"][key]) for key in LIGHTHOUSE_CATEGORIES)


def lighthouse_lines(results):
    """The Lighthouse section of the report: every score, and what explains each one
    below 100."""
    lines = [
        "## Lighthouse (mobile)",
        "",
        "| page | " + " | ".join(LIGHTHOUSE_CATEGORIES.values()) + " | below 100 because |",
        "|---|" + "---:|" * len(LIGHTHOUSE_CATEGORIES) + "---|",
    ]
    for name, result in results.items():
        if isinstance(result, str):
            lines.append(f"| {name} | " + " | ".join([""] * 4) + f" | {result} |")
            continue
        reasons = "; ".join(
            f"{LIGHTHOUSE_CATEGORIES[key]}: {', '.join(result['reasons'][key]) or 'rounding'}"
            for key, score in result["scores"].items()
            if score < 100
        )
        lines.append(
            f"| {name} | "
            + " | ".join(str(result["scores"][key]) for key in LIGHTHOUSE_CATEGORIES)
            + f" | {reasons or '–'} |"
        )
    return lines


def lighthouse_passes(results):
    """Performance at MIN_LIGHTHOUSE or more (it depends on the machine), the other
    three at 100; None when Lighthouse did not run."""
    if all(isinstance(r, str) and r.startswith("skipped") for r in results.values()):
        return None
    return all(
        not isinstance(r, str)
        and r["scores"]["performance"] >= MIN_LIGHTHOUSE
        and all(r["scores"][key] == 100 for key in LIGHTHOUSE_CATEGORIES if key != "performance")
        for r in results.values()
    )


def bench_module(module, options, env):
    """`python -m module` on the benchmark's database (bench/invalidation.py,
    bench/cold_start.py): its Markdown section and its budget rows."""
    say(f"running {module}")
    with tempfile.NamedTemporaryFile(suffix=".json") as budgets:
        result = subprocess.run(  # noqa: S603 - the benchmark's own command
            [
                PYTHON,
                "-m",
                module,
                "--database-url",
                env["DATABASE_URL"],
                "--budgets",
                budgets.name,
                *options,
            ],
            env=env,
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
        )
        try:
            rows = [tuple(row) for row in json.loads(Path(budgets.name).read_text())]
        except ValueError:
            error = (result.stderr.strip().splitlines() or ["no output"])[-1][:200]
            return "", [(f"`python -m {module}` runs", f"failed: {error}", False)]
    # Its own title leads its section; what it printed before (logs) is left out.
    text = result.stdout[result.stdout.find("## ") :].strip()
    return text, rows


# --- 4. the report ----------------------------------------------------------------------


def load_average():
    return float(Path("/proc/loadavg").read_text().split()[0])


def machine(args, load_at_start):
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    os_name = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text()).group(1)
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "RAM": f"{memory_kb / 1024 / 1024:.1f} GB",
        "OS": f"{os_name} ({platform.release()})",
        "Python": platform.python_version(),
        "PostgreSQL": psql("SHOW server_version", args.database),
        "Cache": "Redis" if os.environ.get("REDIS_URL") else "local memory (no REDIS_URL)",
        # Other work on the machine slows the pages: figures from a busy machine are noisy.
        "Load average (1 min)": f"{load_at_start:.1f} at the start, {load_average():.1f} at the end",
    }


def verdict(ok):
    return "SKIPPED" if ok is None else "PASS" if ok else "FAIL"


def report(args, machine_info, urls, measured, sections):
    """The Markdown report and whether every budget passed. `measured`: the figures
    of main(); `sections`: {title: (Markdown, budget rows)} of bench/invalidation.py
    and bench/cold_start.py."""
    uncached, cached, weights = measured["uncached"], measured["cached"], measured["weights"]
    fresh, rss, scores, cold = (
        measured["fresh"],
        measured["rss"],
        measured["scores"],
        measured["cold"],
    )
    ceiling = measured["ceiling"]
    static_uncached = uncached["static file"]["rps"]
    static_cached = cached["static file"]["rps"]
    lines = [
        "# Benchmark results",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`python bench/run.py{' --reuse' if args.reuse else ''}` "
        f"(dataset scale {args.scale:g}, {args.seconds} s of wrk per figure).",
        "",
        *[f"- **{key}**: {value}" for key, value in machine_info.items()],
        "",
        "Uncached: the full-page cache off (`BENCH_PAGE_CACHE=false`); cached: on. "
        "Latencies are of sequential requests (1 connection); req/s under 16 connections; "
        "ratio: the page's req/s over the static file's in the same server run. "
        "CSS+JS: what the page links, gzip-compressed. Lighthouse (mobile): performance/"
        "accessibility/best practices/SEO, explained below the budgets. "
        "SQL queries: warm (the site's cached values there), and cold: the first render "
        "after a publication that changes every page's chrome (a new generation, then the "
        "task worker's visit of the home and menu pages, as production's db_worker does). Images: WebP/AVIF with srcset; the first screen "
        '(an image marked `fetchpriority="high"`, in the header, or the first image of '
        f"`<main>` with at most {FOLD_TEXT_CHARACTERS} characters of text before it) not "
        "lazy, every other image lazy.",
        "",
        "| page | SQL queries | cold | median ms | p95 ms | req/s uncached | × static | "
        "req/s cached | × static | cached median ms | CSS+JS KB | images | Lighthouse |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name in [*urls, "static file"]:
        u, c = uncached[name], cached[name]
        weight = weights.get(name)
        images = "" if weight is None else ("ok" if not weight[1] else "; ".join(weight[1][:3]))
        if weight is not None and not weight[2]:
            images = "none"
        cold_count = cold.get(name)
        lines.append(
            f"| {name} (`{u['path']}`) | {u['queries'] if name != 'static file' else '–'} "
            f"| {'–' if cold_count is None else cold_count} "
            f"| {u['median_ms']:.1f} | {u['p95_ms']:.1f} | {u['rps']:.0f} "
            f"| {u['rps'] / static_uncached:.2f} | {c['rps']:.0f} | {c['rps'] / static_cached:.2f} "
            f"| {c['median_ms']:.1f} | {'' if weight is None else f'{weight[0]:.1f}'} "
            f"| {images} | {lighthouse_cell(scores[name]) if name in scores else ''} |"
        )
    if ceiling is not None:
        lines.append(
            f"| wrk's own ceiling (Varnish answering a synthetic 200 from memory) | | | | "
            f"| {ceiling:.0f} | {ceiling / static_uncached:.2f} | | | | | | |"
        )
    pages = list(urls)
    worst = lambda key, results: max(pages, key=lambda n: results[n][key])  # noqa: E731
    slowest = worst("median_ms", uncached)
    details = [n for n in pages if n in DETAIL_PAGES]
    slowest_detail = max(details, key=lambda n: uncached[n]["median_ms"]) if details else None
    spread = lambda n: uncached[n]["p95_ms"] / uncached[n]["median_ms"]  # noqa: E731
    widest = max(pages, key=spread)
    most_queries = worst("queries", uncached)
    cold_counts = {n: cold[n] for n in pages if cold.get(n) is not None}
    most_cold = max(cold_counts, key=cold_counts.get) if cold_counts else None
    kept = [n for n in pages if cached[n]["kept"]]
    not_kept = [n for n in pages if not cached[n]["kept"]]
    weakest_cached = min(kept, key=lambda n: cached[n]["rps"])
    heaviest = max(pages, key=lambda n: weights[n][0])
    image_issues = {n: weights[n][1] for n in pages if weights[n][1]}
    troubles = [
        (n, run_name, uncached[n]["status"], r["non_2xx"], r["errors"])
        for run_name, results in (("uncached", uncached), ("cached", cached))
        for n, r in results.items()
        if uncached[n]["status"] != 200 or r["non_2xx"] or r["errors"]
    ]
    peaks = [mb for mbs in rss.values() for mb in mbs]
    budgets = [
        (
            "every page answers 200, no error under load",
            "; ".join(
                f"{n} ({run_name}): status {status}, {non_2xx} non-2xx, {errors} socket errors"
                for n, run_name, status, non_2xx, errors in troubles
            )
            or "all 200, no error",
            not troubles,
        ),
        (
            f"≤ {MAX_QUERIES} SQL queries per page, warm",
            f"max {uncached[most_queries]['queries']} ({most_queries})",
            all(0 <= uncached[n]["queries"] <= MAX_QUERIES for n in pages),
        ),
        (
            f"≤ {MAX_QUERIES} SQL queries per page, cold (first render after a publication)",
            f"max {cold_counts[most_cold]} ({most_cold})"
            if most_cold
            else "not measured (no REDIS_URL: each worker's local memory is out of reach)",
            all(0 <= c <= MAX_QUERIES for c in cold_counts.values()) if most_cold else None,
        ),
        (
            f"cached page ≥ {CACHED_SHARE_OF_STATIC:.0%} of the static file's req/s",
            f"min {cached[weakest_cached]['rps'] / static_cached:.2f} ({weakest_cached})"
            + (
                f"; not kept by the cache (a form's CSRF token): {', '.join(not_kept)}"
                if not_kept
                else ""
            ),
            all(cached[n]["rps"] >= CACHED_SHARE_OF_STATIC * static_cached for n in kept),
        ),
        (
            f"uncached median ≤ {MAX_UNCACHED_MEDIAN_MS} ms on every page",
            f"max {uncached[slowest]['median_ms']:.1f} ms ({slowest})",
            all(uncached[n]["median_ms"] <= MAX_UNCACHED_MEDIAN_MS for n in pages),
        ),
        (
            f"uncached median ≤ {MAX_DETAIL_MEDIAN_MS} ms on the {', '.join(DETAIL_PAGES)}",
            f"max {uncached[slowest_detail]['median_ms']:.1f} ms ({slowest_detail})"
            if slowest_detail
            else "no such page measured",
            all(uncached[n]["median_ms"] <= MAX_DETAIL_MEDIAN_MS for n in details),
        ),
        (
            f"uncached p95 ≤ {MAX_P95_TO_MEDIAN} × median on every page",
            f"max {spread(widest):.1f}× ({widest}: p95 {uncached[widest]['p95_ms']:.1f} ms, "
            f"median {uncached[widest]['median_ms']:.1f} ms)",
            all(spread(n) <= MAX_P95_TO_MEDIAN for n in pages),
        ),
        (
            f"first visit after publishing a page with a new photo ≤ {MAX_FIRST_VISIT_FACTOR}× a warm one",
            f"{fresh['first_ms']:.1f} ms first, {fresh['warm_ms']:.1f} ms warm (e.g. `{fresh['path']}`)",
            fresh["status"] == 200
            and fresh["first_ms"] <= MAX_FIRST_VISIT_FACTOR * fresh["warm_ms"],
        ),
        (
            f"a worker's peak resident memory < {MAX_WORKER_RSS_MB} MB",
            f"max {max(peaks):.0f} MB",
            bool(peaks) and max(peaks) < MAX_WORKER_RSS_MB,
        ),
        (
            f"≤ {MAX_ASSETS_KB} KB of CSS and JavaScript per page (gzip)",
            f"max {weights[heaviest][0]:.1f} KB ({heaviest})",
            all(weights[n][0] <= MAX_ASSETS_KB for n in pages),
        ),
        (
            "images WebP/AVIF, with srcset, lazy below the fold",
            "; ".join(f"{n}: {', '.join(p[:2])}" for n, p in image_issues.items()) or "all pages",
            not image_issues,
        ),
        (
            f"Lighthouse mobile: performance ≥ {MIN_LIGHTHOUSE}, accessibility, best practices "
            f"and SEO 100, on {len(scores)} pages",
            ", ".join(f"{n} {lighthouse_cell(s)}" for n, s in scores.items()),
            lighthouse_passes(scores),
        ),
        *(row for _text, rows in sections.values() for row in rows),
    ]
    served_from_cache = [n for n in pages if uncached[n]["queries"] == 0]
    if served_from_cache:
        lines += [
            "",
            f"Note: no SQL query in the uncached run for {', '.join(served_from_cache)}: "
            "a cache other than the full-page cache middleware answered.",
        ]
    lines += [
        "",
        "Peak resident memory of the two workers: "
        + "; ".join(f"{run}: {', '.join(f'{mb:.0f} MB' for mb in mbs)}" for run, mbs in rss.items())
        + ". "
        f"First visit of freshly published events with a new photo (median of 3): "
        f"{fresh['first_ms']:.1f} ms, warm: {fresh['warm_ms']:.1f} ms.",
        "",
        "wrk's own ceiling: "
        + (
            f"{ceiling:.0f} req/s under 16 connections against Varnish answering a synthetic "
            "200 from memory, each connection closed after its answer as gunicorn's are; "
            f"the static file's {static_uncached:.0f} req/s are "
            f"{static_uncached / ceiling:.0%} of it: "
            + (
                "the server's limit, not wrk's."
                if static_uncached < 0.5 * ceiling
                else "close to wrk's own limit: the ratios to the static file understate it."
            )
            if ceiling
            else "not measured (varnishd missing)."
        ),
        "",
        "| budget | measured | |",
        "|---|---|---|",
        *[f"| {budget} | {measured} | {verdict(ok)} |" for budget, measured, ok in budgets],
        "",
        *lighthouse_lines(scores),
        "",
        *(f"{text}\n" for text, _rows in sections.values()),
    ]
    return "\n".join(lines), all(ok is not False for _, _, ok in budgets)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="vc_bench", help="database name (dropped first)")
    parser.add_argument("--scale", type=float, default=1.0, help="dataset size, 1 = issue 7")
    parser.add_argument("--reuse", action="store_true", help="restore the last build's dump")
    parser.add_argument("--build-only", action="store_true", help="build the dataset and stop")
    parser.add_argument("--seconds", type=int, default=5, help="duration of each wrk run")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument(
        "--invalidation-sample",
        type=int,
        default=12,
        metavar="N",
        help="pages visited per large page type by bench/invalidation.py (0: all)",
    )
    parser.add_argument(
        "--lighthouse-only",
        metavar="BASE_URL",
        help="only run Lighthouse on a site already served at BASE_URL (e.g. the demo), "
        "its pages found in the database of DATABASE_URL; prints, writes nothing",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget fails")
    parser.add_argument("--output", default=str(BENCH_DIR / "RESULTS.md"))
    args = parser.parse_args(argv)
    if not args.database.startswith("vc_bench"):
        parser.error("the database is dropped first: its name must start with vc_bench")
    if args.lighthouse_only:
        urls = page_urls({**os.environ, "PYTHONPATH": str(PROJECT_DIR)})
        scores = lighthouse(args.lighthouse_only.rstrip("/"), urls, LIGHTHOUSE_PAGES)
        print("\n".join(lighthouse_lines(scores)))
        return 0 if lighthouse_passes(scores) is not False or not args.strict else 1
    for tool, package in [("wrk", "wrk"), ("pg_dump", "postgresql-client")]:
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install -y {package}")

    started, load_at_start = time.monotonic(), load_average()
    CACHE_DIR.mkdir(exist_ok=True)
    media_root = CACHE_DIR / f"media-scale-{args.scale:g}"
    with tempfile.TemporaryDirectory(prefix="vc-bench-static-") as static_root:
        env = base_env(args, media_root, static_root)
        prepare_dataset(args, env)
        # pg_restore and bulk inserts leave no planner statistics (without them
        # PostgreSQL picks plans ten times slower than a production database's), nor
        # hint bits and visibility map, which the first page measured would set
        # otherwise: a production database is vacuumed (autovacuum may be off here).
        psql("VACUUM (ANALYZE)", args.database)
        if args.build_only:
            return 0
        run([PYTHON, "manage.py", "compilemessages", "--ignore=.venv", "-v", "0"], env=env)
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env)
        urls = page_urls(env)
        say(f"pages: {urls}")

        with Server(env, page_cache=False) as server:
            status, _, home_html = get(server.base + "/")
            stylesheet = re.search(rb'<link rel="stylesheet" href="([^"]+)"', home_html)
            static = {"static file": stylesheet.group(1).decode() if stylesheet else "/robots.txt"}
            uncached = measure_pages(server, {**urls, **static}, args, cached=False)
            cold = cold_queries(server, env, urls)
            ceiling = wrk_ceiling(args.seconds)
            weights = {}
            for name, path in urls.items():
                _, _, html = get(server.base + path)
                weights[name] = page_weight(server.base, html)
            fresh = first_visit(server, env)
            rss = {"uncached run": server.worker_peak_rss_mb()}
        with Server(env, page_cache=True) as server:
            cached = measure_pages(server, {**urls, **static}, args, cached=True)
            scores = (
                {name: "skipped (--no-lighthouse)" for name in LIGHTHOUSE_PAGES}
                if args.no_lighthouse
                else lighthouse(server.base, urls, LIGHTHOUSE_PAGES)
            )
            rss["cached run, Lighthouse included"] = server.worker_peak_rss_mb()
        # Their own servers and processes, once the benchmark's are stopped.
        sections = {
            "invalidation": bench_module(
                "bench.invalidation",
                ["--per-type", str(args.invalidation_sample)],
                env,
            ),
            "cold start": bench_module(
                "bench.cold_start",
                [f"--page={name}={urls[name]}" for name in ("event page", "action page (charts)")],
                env,
            ),
        }

    measured = {
        "uncached": uncached,
        "cached": cached,
        "weights": weights,
        "fresh": fresh,
        "rss": rss,
        "scores": scores,
        "cold": cold,
        "ceiling": ceiling,
    }
    text, passed = report(args, machine(args, load_at_start), urls, measured, sections)
    text += f"\nThe run took {(time.monotonic() - started) / 60:.1f} minutes.\n"
    print(text)
    output = Path(args.output)
    # The sections other measurements add to the file (bench/routing.py's) stay; this
    # report's own sections (Lighthouse's) are replaced.
    kept = output.read_text().partition("\n## Routing")[2] if output.exists() else ""
    output.write_text(text + (f"\n## Routing{kept}" if kept else ""))
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
