"""What a change makes the page cache forget (issue 16), on a built database: every
live public page is visited once (the cache keeps it), then one change is made and
each page is visited again; a page answered without any SQL query survived.

The changes: an event published again with a new description, a ceremony sign-up,
a volunteer's application to a mission, a draft saved. Each runs in a transaction
rolled back at the end, so the database is left as it was.

    python -m bench.invalidation --database-url postgres://postgres@127.0.0.1:5432/vc_bench
    python -m bench.invalidation --per-type 12 --budgets budgets.json   # as bench/run.py

With --per-type N, the pages of each page type with more than N live pages (events,
missions, associations, actions at the benchmark's scale) are sampled: the pages
the changes touch or that show what they change, plus N others of the type (chosen
at random, always the same); each of those others stands for its type's unvisited
pages in the share of the site's pages that survive.
"""

import argparse
import json
import os
import random

# Budgets of issue 16.
MIN_SURVIVING_AFTER_PUBLICATION = 0.9


class Rollback(Exception):
    pass


def live_public_pages():
    from wagtail.models import Page

    from home.models import private_pages_q

    # depth 2: the home pages (1 is the tree's root, never served).
    pages = Page.objects.live().exclude(private_pages_q()).filter(depth__gte=2)
    return [page for page in pages.specific() if page.url]


def chosen():
    """The objects the changes touch, chosen once, so the sample holds their pages."""
    from bénévolat.models import MissionPage
    from events.models import CeremonyPage, EventPage

    fr = {"live": True, "locale__language_code": "fr"}
    return {
        "event": EventPage.objects.filter(**fr, ceremonypage=None).order_by("pk").first(),
        "draft": EventPage.objects.filter(**fr).order_by("pk").first(),
        "ceremony": CeremonyPage.objects.filter(**fr).order_by("pk").first(),
        "mission": MissionPage.objects.filter(**fr).order_by("pk").first(),
    }


def touched_keys(objects):
    """The translation keys of the pages that show what the changes touch: theirs,
    their associations' and their actions'."""
    keys = set()
    for page in objects.values():
        if page is None:
            continue
        keys.add(page.translation_key)
        association = getattr(page, "association", None)
        if association is not None:
            keys.add(association.translation_key)
        keys.update(page.related_actions.values_list("translation_key", flat=True))
    return keys


def sample(pages, per_type, keys):
    """{url: weight}: every page when per_type is 0; else each type's pages when it
    has per_type or fewer, or the pages of `keys` (weight 1) and per_type others,
    each weighing for the type's pages left unvisited."""
    by_type = {}
    for page in pages:
        by_type.setdefault(type(page).__name__, []).append(page)
    weights = {}
    for type_pages in by_type.values():
        if not per_type or len(type_pages) <= per_type:
            weights.update((page.url, 1.0) for page in type_pages)
            continue
        touched = [page for page in type_pages if page.translation_key in keys]
        others = [page for page in type_pages if page.translation_key not in keys]
        picked = random.Random(16).sample(others, min(per_type, len(others)))  # noqa: S311
        weights.update((page.url, 1.0) for page in touched)
        weights.update((page.url, len(others) / len(picked)) for page in picked)
    return dict(sorted(weights.items()))


def visit(client, urls):
    """{url: (whether the cache answered it, the tags the response carries)}."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answered = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        # Answered by the page cache: public, and no query. A page made for each
        # visitor (a form's CSRF token) may need no query either, its parts being
        # kept, but it is private and never kept whole.
        public = "public" in response.get("Cache-Control", "")
        hit = response.status_code == 200 and public and len(queries) == 0
        answered[url] = (hit, set(response.get("Surrogate-Key", "").split()))
    return answered


def measure(change, weights):
    """The pages cached before, those still cached after, the pages forgotten and
    those the change should forget (the pages carrying one of the tags it purges)."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    from home.page_cache import ANY

    client = Client()
    result = {}
    try:
        with transaction.atomic():
            cache.clear()
            visit(client, weights)
            before = visit(client, weights)
            cached = [url for url, (hit, _tags) in before.items() if hit]
            changed, purged = change()
            after = visit(client, cached)
            forgotten = sorted(url for url, (hit, _tags) in after.items() if not hit)
            expected = None
            if purged is not None:
                purged = {*purged, ANY}
                expected = sorted(url for url in cached if before[url][1] & purged)
            result = {
                "change": changed,
                "visited": len(weights),
                "cached": len(cached),
                "surviving": len(cached) - len(forgotten),
                "cached_weight": sum(weights[url] for url in cached),
                "surviving_weight": sum(weights[url] for url in cached if url not in forgotten),
                "forgotten": forgotten,
                "expected": expected,
                "own_page_cached": changed.split(": ", 1)[-1] in cached,
            }
            raise Rollback
    except Rollback:
        pass
    return result


def publish_event(objects):
    event = objects["event"]
    event.intro = (event.intro or "") + " (mis à jour)"
    event.save_revision().publish()
    return f"event published again: {event.url}", None


def save_draft(objects):
    event = objects["draft"]
    event.intro = "Un brouillon."
    event.save_revision()
    return f"draft saved: {event.url}", set()


def sign_up(objects):
    from events.models import CeremonyRegistration
    from home.page_cache import page_tag

    ceremony = objects["ceremony"]
    CeremonyRegistration.objects.create(
        ceremony=ceremony, name="Camille Martin", email="camille@example.org"
    )
    # The places left show on the ceremony's pages alone.
    return f"ceremony sign-up: {ceremony.url}", {page_tag(ceremony)}


def apply_to_mission(objects):
    from bénévolat.models import MissionPage, VolunteerRequest
    from home.page_cache import page_tag

    mission = objects["mission"]
    full_before = MissionPage.objects.get(pk=mission.pk).is_full
    VolunteerRequest.objects.create(
        mission=mission, name="Camille Martin", email="camille@example.org", consent=True
    )
    # The places left show on the mission's pages; whether it is full, wherever the
    # mission is listed (MissionPage.cache_purge_tags), when that changed.
    purged = {page_tag(mission)}
    if full_before or MissionPage.objects.get(pk=mission.pk).is_full:
        purged |= set(mission.cache_purge_tags())
    return f"volunteer request: {mission.url}", purged


def budgets(results):
    """[(budget, measured, passed)] of the changes measured."""
    rows = []
    if not all(result["cached"] for result in results):
        return [("the page cache keeps the pages visited", "no page cached: see above", False)]
    publication = results[0]
    share = (
        publication["surviving_weight"] / publication["cached_weight"]
        if publication["cached_weight"]
        else 0
    )
    rows.append(
        (
            f"≥ {MIN_SURVIVING_AFTER_PUBLICATION:.0%} of the cached pages survive one event's"
            " publication",
            f"{share:.1%} of the site's ({publication['surviving']} of {publication['cached']}"
            " visited)",
            share >= MIN_SURVIVING_AFTER_PUBLICATION,
        )
    )
    for result in results[1:]:
        unexpected = sorted(set(result["forgotten"]) - set(result["expected"]))
        kept = sorted(set(result["expected"]) - set(result["forgotten"]))
        if result["expected"] == [] and "draft" in result["change"]:
            budget = "a draft save forgets no page"
        else:
            budget = f"after one {result['change'].split(':')[0]}, only its pages are forgotten"
        measured = f"{len(result['forgotten'])} forgotten"
        if not result["own_page_cached"]:
            measured += " (its page itself is never kept: made for each visitor)"
        if result["expected"]:
            measured += f" of {len(result['expected'])} showing it"
        if unexpected:
            measured += ", also: " + ", ".join(f"`{url}`" for url in unexpected[:4])
        if kept:
            measured += ", still cached (stale): " + ", ".join(f"`{url}`" for url in kept[:4])
        rows.append((budget, measured, not unexpected and not kept))
    return rows


def report(results, rows, sampled):
    load = os.getloadavg()[0]
    lines = [
        "## Invalidation",
        "",
        "Every live public page visited once, then one change, then each visited again"
        " (`python -m bench.invalidation`); a page the page cache answered (public, no SQL) survived."
        + (
            f" Pages sampled ({sampled} per large page type, the pages showing the changed"
            " objects always included); share: of the site's cached pages, each sampled page"
            " standing for its type's unvisited ones."
            if sampled
            else ""
        )
        + " Should be forgotten: the cached pages carrying a tag the change purges"
        " (the ceremony's or mission's own pages, and where a mission is listed when it"
        f" fills up). Load average (1 min) at the end: {load:.1f}.",
        "",
        "| change | pages visited | cached | still cached | share of the site | forgotten |"
        " should be forgotten |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for result in results:
        share = (
            result["surviving_weight"] / result["cached_weight"] if result["cached_weight"] else 0
        )
        forgotten = ", ".join(f"`{url}`" for url in result["forgotten"][:12])
        if len(result["forgotten"]) > 12:
            forgotten += f" and {len(result['forgotten']) - 12} more"
        expected = "–" if result["expected"] is None else str(len(result["expected"]))
        lines.append(
            f"| {result['change']} | {result['visited']} | {result['cached']}"
            f" | {result['surviving']} | {share:.1%} | {forgotten or '—'} | {expected} |"
        )
    lines += ["", *[f"Budget: {b} — {m}: {'PASS' if ok else 'FAIL'}." for b, m, ok in rows]]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $DATABASE_URL")
    parser.add_argument(
        "--per-type", type=int, default=0, help="pages sampled per large page type (0: all)"
    )
    parser.add_argument("--budgets", help="also write the budgets to this JSON file")
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    # Django's test client asks for "testserver", whatever the hosts given.
    hosts = os.environ.get("ALLOWED_HOSTS")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver" if hosts else "testserver"
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECRET_KEY", "bench-invalidation-only")
    # The cache of this process: what it forgets is what Redis would forget.
    os.environ.pop("REDIS_URL", None)
    from bench.dataset import setup_django

    setup_django()
    from django.conf import settings

    # A local-memory cache keeps 300 entries by default and culls a third beyond:
    # pages would be "forgotten" for want of room, not by invalidation.
    settings.CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 1_000_000
    objects = chosen()
    weights = sample(live_public_pages(), args.per_type, touched_keys(objects))
    changes = (publish_event, sign_up, apply_to_mission, save_draft)
    results = [measure(lambda change=change: change(objects), weights) for change in changes]
    rows = budgets(results)
    print(report(results, rows, args.per_type))
    if args.budgets:
        with open(args.budgets, "w") as file:
            json.dump(rows, file)
    return 0 if all(ok for _b, _m, ok in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
