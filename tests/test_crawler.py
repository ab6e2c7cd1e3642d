"""A crawler over the demo site: every public address it can find answers below 500,
whatever is put in the parameters it reads (and in ones it does not), and every
admin address a role reaches from its menu answers below 500 and shows none of
another role's data.

The addresses are found, not listed: the sitemap (every live page in every
language), the links and GET forms of each page, and the routable pages' own routes.
A new page type, route or filter is crawled without touching this file. To keep the
run short, the hostile values are sampled: each address gets a few of them, in turn,
rather than every value in every parameter.
"""

import itertools
import re
from collections import defaultdict
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.core.management import call_command
from django.test import Client

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

import pytest

from tests.test_hostile_input import HOSTILE_VALUES, RAW_QUERIES
from tests.test_permission_matrix import ROLES, world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/django-admin/")
# Parameters no page reads: unknown names must be ignored, not choke a view.
UNKNOWN_PARAMETERS = ["zz_inconnu", "utm_source"]
# What Wagtail's API reads, which no page links to.
API_PARAMETERS = ["type", "fields", "limit", "offset", "search", "order", "locale", "child_of"]
MAX_ADDRESSES = 600
# Each parameter alone gets the values that reach past a form's checks: the ends of
# the calendar, a number past any integer, a NUL byte, a control character.
ALONE = ["9999-12-31", "0001-01-01", str(10**30), "-1", "abc\x00def", "a\x0bb"]

HREF = re.compile(r"""(?:href|action)="([^"#]*)""")
GET_FORM = re.compile(r"<form\b(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.S | re.I)
FIELD_NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname="([^"]+)\"""")


def local(url, base):
    """The site's own address for a link (None for another site or a skipped area)."""
    parts = urlsplit(urljoin(base, unescape(url)))
    if parts.netloc and not parts.netloc.startswith(("localhost", "testserver", "127.")):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path, parts.query


def routable_addresses():
    """The routes of routable pages that take no argument (feeds, archives, CSV)."""
    found = []
    for page in Page.objects.live().specific():
        if not isinstance(page, RoutablePageMixin) or not page.url:
            continue
        for pattern in page.get_subpage_urls():
            route = str(pattern.pattern)
            if "<" not in route and "(" not in route:
                found.append(page.url + route.lstrip("^").rstrip("$"))
    return found


def crawl(client):
    """{path: parameter names} for every public address reachable from the sitemap."""
    sitemap = client.get("/sitemap.xml").content.decode()
    start = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert len(start) > 20, "the demo's sitemap lists its pages"
    queue = [*start, *routable_addresses(), "/recherche/", "/sitemap.xml"]
    parameters = defaultdict(set, {"/api/v2/pages/": set(API_PARAMETERS), "/recherche/": {"q"}})
    seen = set()
    problems = []
    while queue and len(seen) < MAX_ADDRESSES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
            continue
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode("utf-8", "replace")
        for form in GET_FORM.finditer(html):
            parameters[path].update(FIELD_NAME.findall(form.group(1)))
        for link in HREF.findall(html):
            target = local(link, path)
            if target is None:
                continue
            target_path, query = target
            parameters[target_path].update(name for name, _ in parse_qsl(query))
            if target_path not in seen:
                queue.append(target_path)
    return {path: sorted(parameters[path]) for path in seen}, problems


def sample(values, start, count):
    return list(itertools.islice(itertools.cycle(values), start, start + count))


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_public_address_of_the_demo_holds_against_hostile_parameters(demo):
    client = Client(raise_request_exception=False)
    addresses, problems = crawl(client)
    assert len(addresses) > 40, sorted(addresses)
    assert any(path.startswith("/en/") for path in addresses)

    values = [value for name, value in HOSTILE_VALUES.items() if name != "overlong"]
    values += [*ALONE, "e\u0301"]
    tried = set()
    for index, (path, names) in enumerate(sorted(addresses.items())):
        # One address of each kind: its language, the parameters it reads and, for
        # those that read none, its depth and last segment (a feed, a CSV, a page).
        segment = path.rstrip("/").rsplit("/", 1)[-1]
        kind = (path.startswith("/en/"), tuple(names) or (path.count("/"), segment.isalpha()))
        if kind in tried:
            continue
        tried.add(kind)
        everything = [*names, *UNKNOWN_PARAMETERS]
        # Every hostile value in all the parameters it reads, at once; an address that
        # reads none gets one in the unknown ones.
        chosen = values if names else sample(values, index, 1)
        attempts = [dict.fromkeys(everything, value) for value in chosen]
        # Each parameter alone too: an earlier refusal could keep a later one unread.
        attempts += [{name: value} for name in names for value in ALONE]
        raw = RAW_QUERIES[index % len(RAW_QUERIES)]
        attempts.append("&".join(f"{name}={raw}" for name in everything))
        if path in ("/recherche/", "/api/v2/pages/"):
            attempts.append({names[0]: HOSTILE_VALUES["overlong"]})
        for query in attempts:
            if isinstance(query, str):
                response = client.get(f"{path}?{query}")
            else:
                response = client.get(path, query)
            if response.status_code >= 500:
                problems.append(f"{path} {query!r:.80}: {response.status_code}")

    assert problems == []


# The admin --------------------------------------------------------------------------

# What each role must never see: rows of another association, of a list beyond its
# rights (the permission matrix's world names each row after its owner).
ALPHA = ["Bénévole Alpha", "Heures Alpha"]
BETA = ["Bénévole Bêta", "Heures Bêta"]
MODERATORS = ["Inscrite Gamma"]
ADMINISTRATORS = ["Message Delta", "Courriel Zêta", "Réponse type Êta", "Service Thêta"]
EDITORS = ["Réponse Epsilon"]
NEVER_SHOWN = {
    "citizen": ALPHA + BETA + MODERATORS + ADMINISTRATORS + EDITORS,
    "member_a": BETA + MODERATORS + ADMINISTRATORS + EDITORS,
    "member_b": ALPHA + MODERATORS + ADMINISTRATORS + EDITORS,
    "editor": MODERATORS + ADMINISTRATORS,
    "moderator": ADMINISTRATORS,
    "administrator": [],
}
ADMIN_URL = re.compile(r"""(/admin/[^"'\s<>\\]*)""")


def menu_addresses(html):
    """The addresses of the admin's menu (Wagtail puts it in a JSON script)."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    assert props, "the admin's menu is where Wagtail puts it"
    found = {unescape(url) for url in ADMIN_URL.findall(props.group(1))}
    return sorted(url for url in found if "logout" not in url)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_every_admin_address_of_a_role_menu_holds_and_shows_only_its_data(world, role):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(world["users"][role])
    home = client.get("/admin/")
    if role == "citizen":
        assert home.status_code in (302, 403)
        return
    assert home.status_code == 200
    addresses = menu_addresses(home.content.decode())
    assert addresses
    problems = []
    shown = []
    for index, url in enumerate(addresses):
        hostile = sample(list(HOSTILE_VALUES.values())[1:], index, 1)[0]
        for query in ({}, {"q": hostile, "p": hostile, "ordering": hostile, "zz": hostile}):
            response = client.get(url, query)
            if response.status_code >= 500:
                problems.append(f"{url} {sorted(query)}: {response.status_code}")
                continue
            if response.streaming:
                text = b"".join(response.streaming_content).decode("utf-8", "replace")
            else:
                text = response.content.decode("utf-8", "replace")
            problems += [f"{url}: shows {marker}" for marker in NEVER_SHOWN[role] if marker in text]
            shown += [marker for marker in ALPHA + MODERATORS + ADMINISTRATORS if marker in text]
    assert problems == []
    if role == "administrator":
        # The menu does lead to the lists: the check above looked at real rows.
        assert {"Bénévole Alpha", "Inscrite Gamma", "Message Delta"} <= set(shown)
