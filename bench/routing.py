"""The site's page lookup (home/routing.py) against Wagtail's own, on a built database:
for pages at every depth, the SQL queries and the median time of a whole uncached
request, and of the lookup alone, with each of the two.

The two are measured in turns, page by page, so that the machine's load weighs on
both alike. Wagtail's routing is measured by handing the site's view the route that
`Page.route_for_request` finds, which is what `wagtail.views.serve` does by itself.

    python -m bench.routing --database-url postgres://postgres@127.0.0.1:5432/vc_bench
"""

import argparse
import os
import statistics
import time


def pages(language_code):
    """Pages at every depth of the tree, routable pages' sub-addresses and a 404."""
    from actions.models import ActionIndexPage, ActionPage
    from bénévolat.models import AssociationIndexPage, AssociationPage, MissionPage
    from events.models import EventIndexPage, EventPage

    live = {"locale__language_code": language_code, "live": True}
    plan = ActionIndexPage.objects.get(**live)
    agenda = EventIndexPage.objects.get(**live)
    mission = MissionPage.objects.filter(**live).order_by("-depth", "pk").first()
    event = EventPage.objects.filter(**live).order_by("-depth", "pk").first()
    return {
        "home": "/" if language_code == "fr" else "/en/",
        "plan index": plan.url,
        "action page": ActionPage.objects.filter(**live).order_by("number").first().url,
        "open data (route)": plan.url + "donnees/csv/",
        "agenda": agenda.url,
        "agenda archives (route)": agenda.url + "archives/",
        "association directory": AssociationIndexPage.objects.get(**live).url,
        "association page": AssociationPage.objects.filter(**live).order_by("pk").first().url,
        f"event page (depth {event.depth})": event.url,
        f"mission page (depth {mission.depth})": mission.url,
        "unknown address (404)": "/associations/nulle-part/",
    }


def page_urls():
    urls = pages("fr")
    english = pages("en")
    urls["English mission page"] = next(
        url for name, url in english.items() if name.startswith("mission page")
    )
    return urls


def wagtail_route(request, path):
    from wagtail.models import Page

    return Page.route_for_request(request, path)


def look_up(lookup, request, path):
    from django.http import Http404

    try:
        return lookup(request, path)
    except Http404:  # the site's view answers 404 for it, as Wagtail's does
        return None


def measure(rounds):
    from django.db import connection, reset_queries
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve
    from django.utils import translation

    from home import routing

    fast_route = routing.find_route
    lookups = {"fast path": fast_route, "Wagtail": wagtail_route}
    client = Client()
    factory = RequestFactory()
    results = {}
    urls = page_urls()
    # Warm-up: the site chrome and the localized home pages go to the cache.
    for url in urls.values():
        client.get(url)
    for name, url in urls.items():
        language = "en" if url.startswith("/en/") else "fr"
        with translation.override(language):
            match = resolve(url)
        row = results[name] = {"url": url}
        for label, lookup in lookups.items():
            routing.find_route = lookup
            try:
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(url).status_code
                row[label] = {"status": status, "queries": len(queries), "page": [], "lookup": []}
                with translation.override(language), CaptureQueriesContext(connection) as queries:
                    look_up(lookup, factory.get(url), match.args[0])
                row[label]["lookup queries"] = len(queries)
            finally:
                routing.find_route = fast_route
        for _ in range(rounds):
            for label, lookup in lookups.items():
                routing.find_route = lookup
                try:
                    started = time.perf_counter()
                    client.get(url)
                    row[label]["page"].append(time.perf_counter() - started)
                    with translation.override(language):
                        request = factory.get(url)
                        started = time.perf_counter()
                        look_up(lookup, request, match.args[0])
                        row[label]["lookup"].append(time.perf_counter() - started)
                finally:
                    routing.find_route = fast_route
                reset_queries()
    return results


def report(results, rounds):
    load = os.getloadavg()[0]
    lines = [
        f"{rounds} requests per page and per lookup, in turns; load average (1 min) at the end:"
        f" {load:.1f}.",
        "",
        "| page | status | queries: fast path / Wagtail | lookup alone | median ms:"
        " fast path / Wagtail | lookup alone ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        fast, wagtail = row["fast path"], row["Wagtail"]
        status = (
            str(fast["status"])
            if fast["status"] == wagtail["status"]
            else f"{fast['status']} ≠ {wagtail['status']}"
        )

        def median(values):
            return statistics.median(values) * 1000

        lines.append(
            f"| {name} (`{row['url']}`) | {status}"
            f" | {fast['queries']} / {wagtail['queries']}"
            f" | {fast['lookup queries']} / {wagtail['lookup queries']}"
            f" | {median(fast['page']):.1f} / {median(wagtail['page']):.1f}"
            f" | {median(fast['lookup']):.2f} / {median(wagtail['lookup']):.2f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $DATABASE_URL")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    # Pages as they are built: no full-page cache (the header and footer stay cached).
    os.environ["BENCH_PAGE_CACHE"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    from bench.dataset import setup_django

    setup_django()
    print(report(measure(args.rounds), args.rounds))


if __name__ == "__main__":
    main()
