"""What a change makes the page cache forget (issue 16), on a built database: every
live public page is visited once (the cache keeps it), then one change is made and
each page is visited again; a page answered without any SQL query survived.

The changes: an event published again with a new description, a ceremony sign-up,
a volunteer's application to a mission, a draft saved. Each runs in a transaction
rolled back at the end, so the database is left as it was.

    python -m bench.invalidation --database-url postgres://postgres@127.0.0.1:5432/vc_bench
"""

import argparse
import os

# Budgets of issue 16.
MIN_SURVIVING_AFTER_PUBLICATION = 0.9


class Rollback(Exception):
    pass


def public_urls():
    from wagtail.models import Page

    from home.models import private_pages_q

    pages = Page.objects.live().exclude(private_pages_q()).filter(depth__gt=2)
    return sorted({page.url for page in pages.specific() if page.url})


def visit(client, urls):
    """{url: whether the cache answered it}."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answered = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        answered[url] = response.status_code == 200 and len(queries) == 0
    return answered


def measure(change):
    """(pages cached before, pages still cached after, the pages forgotten)."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    client = Client()
    urls = public_urls()
    result = {}
    try:
        with transaction.atomic():
            cache.clear()
            visit(client, urls)
            cached = [url for url, hit in visit(client, urls).items() if hit]
            changed = change()
            after = visit(client, cached)
            forgotten = sorted(url for url, hit in after.items() if not hit)
            result = {
                "change": changed,
                "cached": len(cached),
                "surviving": len(cached) - len(forgotten),
                "forgotten": forgotten,
            }
            raise Rollback
    except Rollback:
        pass
    return result


def publish_event():
    from events.models import EventPage

    event = EventPage.objects.filter(live=True, locale__language_code="fr", ceremonypage=None)
    event = event.order_by("pk").first()
    event.intro = (event.intro or "") + " (mis à jour)"
    event.save_revision().publish()
    return f"event published again: {event.url}"


def save_draft():
    from events.models import EventPage

    event = EventPage.objects.filter(live=True, locale__language_code="fr").order_by("pk").first()
    event.intro = "Un brouillon."
    event.save_revision()
    return f"draft saved: {event.url}"


def sign_up():
    from events.models import CeremonyPage, CeremonyRegistration

    ceremony = CeremonyPage.objects.filter(live=True, locale__language_code="fr").first()
    CeremonyRegistration.objects.create(
        ceremony=ceremony, name="Camille Martin", email="camille@example.org"
    )
    return f"ceremony sign-up: {ceremony.url}"


def apply_to_mission():
    from bénévolat.models import MissionPage, VolunteerRequest

    mission = MissionPage.objects.filter(live=True, locale__language_code="fr").first()
    VolunteerRequest.objects.create(
        mission=mission, name="Camille Martin", email="camille@example.org", consent=True
    )
    return f"volunteer request: {mission.url}"


def report(results):
    load = os.getloadavg()[0]
    lines = [
        "## Invalidation",
        "",
        "Every live public page visited once, then one change, then each visited again"
        " (`python -m bench.invalidation`); a page answered without SQL survived."
        f" Load average (1 min) at the end: {load:.1f}.",
        "",
        "| change | cached pages | still cached | share | forgotten |",
        "|---|---:|---:|---:|---|",
    ]
    for result in results:
        share = result["surviving"] / result["cached"] if result["cached"] else 0
        forgotten = ", ".join(f"`{url}`" for url in result["forgotten"][:12])
        if len(result["forgotten"]) > 12:
            forgotten += f" and {len(result['forgotten']) - 12} more"
        lines.append(
            f"| {result['change']} | {result['cached']} | {result['surviving']}"
            f" | {share:.1%} | {forgotten or '—'} |"
        )
    publication = results[0]
    ok = publication["surviving"] >= MIN_SURVIVING_AFTER_PUBLICATION * publication["cached"]
    lines += [
        "",
        f"Budget: ≥ {MIN_SURVIVING_AFTER_PUBLICATION:.0%} of the cached pages survive one"
        f" event's publication: {'PASS' if ok else 'FAIL'}.",
    ]
    return "\n".join(lines), ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $DATABASE_URL")
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECRET_KEY", "bench-invalidation-only")
    # The cache of this process: what it forgets is what Redis would forget.
    os.environ.pop("REDIS_URL", None)
    from bench.dataset import setup_django

    setup_django()
    results = [measure(change) for change in (publish_event, sign_up, apply_to_mission, save_draft)]
    text, ok = report(results)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
