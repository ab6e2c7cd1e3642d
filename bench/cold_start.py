"""A fresh worker's first request against the next ones (issue 16): gunicorn with one
worker, the production settings, on a built database; the worker is started anew for
each round, its first request to each page timed, then the median of ten more.

    python -m bench.cold_start --database-url postgres://postgres@127.0.0.1:5432/vc_bench
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench.server import PROJECT_DIR, free_port, start_gunicorn, stop

MAX_FIRST_TO_WARM = 3
# The master and each worker visit the home and menu pages and one page of each type
# before the first request (gunicorn.conf.py, home/warmup.py): other pages of a type
# (`--page`, an event and an action from bench/run.py, never the ones visited) tell
# whether a worker's first visitor of a page no one asked for yet waits too.
PAGES = {"home": "/", "agenda": "/agenda/", "plan": "/plan-d-actions/"}


def timed(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our server
        response.read()
    return (time.perf_counter() - started) * 1000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budgets", help="also write the budget to this JSON file")
    parser.add_argument(
        "--page", action="append", default=[], metavar="NAME=PATH", help="one more page"
    )
    args = parser.parse_args(argv)
    pages = {**PAGES, **dict(page.split("=", 1) for page in args.page)}
    python = str(PROJECT_DIR / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory(prefix="vc-cold-static-") as static_root:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": str(PROJECT_DIR),
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": args.database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": static_root,
            # Pages as they are built: the full-page cache would hide the worker's start.
            "BENCH_PAGE_CACHE": "false",
        }
        subprocess.run(  # noqa: S603
            [python, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            env=env,
            cwd=PROJECT_DIR,
            check=True,
        )
        rows = {name: {"first": [], "warm": []} for name in pages}
        # One address for every new worker, as a production server keeps its own; it
        # is the address visitors use, as production's WAGTAILADMIN_BASE_URL is: the
        # pages gunicorn.conf.py makes in advance are made for it.
        port = free_port()
        address = {"WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}"}
        for _ in range(args.rounds):
            for name, path in pages.items():
                # A new worker for each page: its first request is that page's.
                process, base = start_gunicorn(
                    python,
                    "ville_citoyenne.wsgi",
                    {**env, **address},
                    workers=1,
                    port=port,
                    stdout=subprocess.DEVNULL,
                )
                try:
                    rows[name]["first"].append(timed(base + path))
                    rows[name]["warm"].append(
                        statistics.median(timed(base + path) for _ in range(10))
                    )
                finally:
                    stop(process)
    load = os.getloadavg()[0]
    lines = [
        "## Cold start",
        "",
        "A new gunicorn worker (preloaded application, `gunicorn.conf.py`) for each page:"
        " its first request, then the median of ten more, page cache off"
        f" (`python -m bench.cold_start`, {args.rounds} rounds, medians)."
        f" Load average (1 min) at the end: {load:.1f}.",
        "",
        "| page | first request ms | warm ms | ratio |",
        "|---|---:|---:|---:|",
    ]
    ok, worst = True, None
    for name, row in rows.items():
        first, warm = statistics.median(row["first"]), statistics.median(row["warm"])
        ok &= first <= MAX_FIRST_TO_WARM * warm
        if worst is None or first / warm > worst[1]:
            worst = (name, first / warm, first, warm)
        lines.append(
            f"| {name} (`{pages[name]}`) | {first:.1f} | {warm:.1f} | {first / warm:.1f} |"
        )
    lines += [
        "",
        f"Budget: first request ≤ {MAX_FIRST_TO_WARM} × warm: {'PASS' if ok else 'FAIL'}.",
    ]
    print("\n".join(lines))
    if args.budgets:
        name, ratio, first, warm = worst
        budget = f"a fresh worker's first request ≤ {MAX_FIRST_TO_WARM} × a warm one"
        measured = f"max {ratio:.1f}× ({name}: {first:.0f} ms first, {warm:.0f} ms warm)"
        with open(args.budgets, "w") as file:
            json.dump([(budget, measured, ok)], file)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
