"""What a second probe of the site in its production settings found (issue 15).

Small files claiming huge images, a file both GIF and SVG, random query strings
filling the page cache, a Redis that never evicts, page passwords and password
resets guessed or sent without limit, and query parameters of the API that made it
fail: each is refused cheaply, in French, with a 4xx, and stores nothing.
"""

import time
from io import BytesIO

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

import pytest
from PIL import Image, ImageFile

from expression.models import Submission
from home import photos as home_photos
from home.models import Commune
from tests.factories import UserFactory
from tests.factories import events as ef
from tests.factories import expression as xf

pytestmark = pytest.mark.django_db

# 6,000 × 6,650 pixels in about 120 kB: what the probe sent.
BOMB_SIZE = (6_000, 6_650)
# A GIF header, then an SVG with a script: a browser shown it as SVG would run it.
POLYGLOT = (
    b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/="
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
)


def png_of(width, height):
    output = BytesIO()
    Image.new("RGB", (width, height)).save(output, "PNG")
    return output.getvalue()


@pytest.fixture(scope="module")
def bomb():
    return png_of(*BOMB_SIZE)


@pytest.fixture
def editor(db):
    return UserFactory(username="redacteur", is_superuser=True)


@pytest.fixture
def expression_page(home):
    return xf.expression_page(home)


def report_with(expression_page, photo):
    andard = Commune.objects.get(slug="andard")
    return {
        "kind": "report",
        "subject": "Un trou dans la chaussée",
        "message": "Rue de la Loire, devant la boulangerie.",
        "commune": andard.pk,
        "action": "",
        "reply": "email",
        "name": "Camille Martin",
        "email": "camille@example.org",
        "website": "",
        "consent": "on",
        "photo": photo,
    }


# 1. Decompression bombs ------------------------------------------------------------


def test_a_small_png_of_forty_million_pixels_is_refused_before_it_is_decoded(
    client, expression_page, bomb, monkeypatch
):
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: decoded.append(image))
    upload = SimpleUploadedFile("trou.png", bomb, "image/png")

    response = client.post(expression_page.url, report_with(expression_page, upload))

    assert response.status_code == 400
    assert "trop de pixels" in response.text
    assert not decoded
    assert not Submission.objects.exists()


def test_a_large_phone_photo_is_still_accepted_and_decoded_quickly(client, expression_page):
    # A 48-megapixel JPEG (8,000 × 6,000) is decoded at a reduced scale.
    output = BytesIO()
    Image.new("RGB", (8_000, 6_000), (120, 90, 60)).save(output, "JPEG")
    upload = SimpleUploadedFile("IMG_0001.jpg", output.getvalue(), "image/jpeg")
    start = time.process_time()

    response = client.post(expression_page.url, report_with(expression_page, upload))

    assert response.status_code == 303
    assert time.process_time() - start < 1.5
    stored = Image.open(Submission.objects.get().photo.open())
    assert max(stored.size) == 2000


def test_pillow_warns_beyond_the_largest_budget_of_the_site():
    assert BOMB_SIZE[0] * BOMB_SIZE[1] > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS <= Image.MAX_IMAGE_PIXELS
    assert Image.MAX_IMAGE_PIXELS == home_photos.MAX_PIXELS


def upload_image(client, name, content):
    return client.post(
        "/admin/images/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1, "tags": ""},
    )


def test_an_editor_uploading_a_bomb_is_told_in_french_and_nothing_is_stored(
    client, editor, bomb, monkeypatch
):
    client.force_login(editor)
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: decoded.append(image))

    response = upload_image(client, "plan.png", bomb)

    assert response.status_code in (200, 400)
    assert "trop de pixels" in response.text
    assert not decoded
    assert not get_image_model().objects.exists()


def test_an_ordinary_image_is_still_uploaded(client, editor):
    client.force_login(editor)

    response = upload_image(client, "plan.png", png_of(1_200, 800))

    assert response.status_code == 302
    assert get_image_model().objects.get().width == 1_200


# 2. A GIF that is an SVG too -------------------------------------------------------


def test_a_gif_svg_polyglot_photo_is_refused_in_french(client, expression_page):
    upload = SimpleUploadedFile("trou.gif", POLYGLOT, "image/gif")

    response = client.post(expression_page.url, report_with(expression_page, upload))

    assert response.status_code == 400
    assert "pas une photo dans un format accepté" in response.text
    assert not Submission.objects.exists()


@pytest.mark.parametrize("name", ["logo.gif", "logo.svg"])
def test_a_gif_svg_polyglot_image_is_refused_in_french(client, editor, name):
    client.force_login(editor)

    response = upload_image(client, name, POLYGLOT)

    assert response.status_code in (200, 400)
    assert 'lang="fr"' in response.text
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name", ["logo.gif", "logo.svg"])
def test_a_gif_svg_polyglot_image_sent_to_the_multiple_upload_is_refused(client, editor, name):
    client.force_login(editor)

    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, POLYGLOT), "collection": 1},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code in (200, 400)
    assert response.json()["success"] is False
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name", ["logo.gif", "logo.svg", "logo.txt"])
def test_a_gif_svg_polyglot_document_is_refused_or_kept_as_a_download(client, editor, name):
    client.force_login(editor)

    response = client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, POLYGLOT), "collection": 1, "tags": ""},
    )

    assert response.status_code < 500
    for document in get_document_model().objects.all():
        served = client.get(document.url)
        assert served.status_code == 200
        assert "svg" not in served["Content-Type"]
        assert served.get("Content-Disposition", "").startswith("attachment")


# 3. The page cache keeps what pages read, nothing else ----------------------------


def page_entries():
    return [key for key in cache._cache if ":page:" in key]


def test_random_query_strings_do_not_fill_the_page_cache(client, home):
    client.get("/")
    entries = len(page_entries())

    for number in range(100):
        response = client.get(f"/?utm_source=x{number}&q={number}")
        assert response.status_code == 200

    assert len(page_entries()) == entries


@pytest.mark.parametrize("address", ["/robots.txt", "/sitemap.xml"])
def test_random_query_strings_do_not_fill_the_cache_of_the_sites_own_views(client, home, address):
    for number in range(5):
        assert client.get(f"{address}?q={number}&page={number}").status_code == 200

    assert len(page_entries()) == 1


def test_a_listings_own_filters_still_have_their_own_entries(client, home):
    agenda = ef.agenda(home)
    andard = Commune.objects.get(slug="andard")

    unfiltered = client.get(agenda.url + "?fbclid=abc")
    filtered = client.get(agenda.url + f"?commune={andard.slug}&fbclid=abc")
    again = client.get(agenda.url + f"?zz=1&commune={andard.slug}")

    assert unfiltered.status_code == filtered.status_code == again.status_code == 200
    assert filtered.content != unfiltered.content
    assert again.content == filtered.content
    assert len(page_entries()) == 2


def test_the_search_keeps_its_query(client, home):
    client.get("/recherche/?q=bancs")
    client.get("/recherche/?q=fetes&utm_campaign=1")
    client.get("/recherche/?utm_campaign=2&q=fetes")

    assert len(page_entries()) == 2


def test_the_page_cache_duration_is_read_from_the_environment(monkeypatch):
    import importlib

    from ville_citoyenne.settings import base

    monkeypatch.setenv("PAGE_CACHE_SECONDS", "42")
    try:
        assert importlib.reload(base).PAGE_CACHE_SECONDS == 42
    finally:
        monkeypatch.delenv("PAGE_CACHE_SECONDS")
        importlib.reload(base)
    assert base.PAGE_CACHE_SECONDS == 300


@pytest.mark.parametrize("name", ["PAGE_CACHE_SECONDS", "PAGE_CACHE_BROWSER_SECONDS"])
def test_the_cache_durations_are_read_from_the_environment_and_checked(monkeypatch, name):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    from ville_citoyenne.settings import base

    try:
        monkeypatch.setenv(name, "120")
        assert getattr(importlib.reload(base), name) == 120
        for typo in ("5 min", "-1", ""):
            monkeypatch.setenv(name, typo)
            with pytest.raises(ImproperlyConfigured, match=name):
                importlib.reload(base)
    finally:
        monkeypatch.delenv(name)
        importlib.reload(base)


# 4. A Redis that never evicts ----------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_policy():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        before = connection.config_get("maxmemory-policy")["maxmemory-policy"]
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")

    def set_policy(policy):
        connection.config_set("maxmemory-policy", policy)

    yield set_policy
    connection.config_set("maxmemory-policy", before)


def deploy_warnings(settings):
    from home.checks import redis_eviction

    return redis_eviction(app_configs=None)


def test_the_deploy_check_warns_of_a_redis_that_never_evicts(settings, redis_policy):
    settings.REDIS_URL = REDIS_URL
    redis_policy("noeviction")

    warnings = deploy_warnings(settings)

    assert [warning.id for warning in warnings] == ["home.W001"]
    assert "allkeys-lru" in warnings[0].hint


def test_the_deploy_check_accepts_an_evicting_redis(settings, redis_policy):
    settings.REDIS_URL = REDIS_URL
    redis_policy("allkeys-lru")

    assert deploy_warnings(settings) == []


def test_the_deploy_check_says_when_redis_refuses_to_tell(settings, monkeypatch):
    import redis

    def refuse(self, *args, **kwargs):
        raise redis.exceptions.ResponseError("unknown command 'CONFIG'")

    monkeypatch.setattr(redis.Redis, "config_get", refuse)
    settings.REDIS_URL = REDIS_URL

    warnings = deploy_warnings(settings)

    assert [warning.id for warning in warnings] == ["home.W002"]
    assert "CONFIG" in warnings[0].msg


def test_without_redis_the_deploy_check_says_nothing(settings):
    settings.REDIS_URL = None

    assert deploy_warnings(settings) == []


def test_the_check_runs_with_check_deploy(settings, redis_policy):
    settings.REDIS_URL = REDIS_URL
    redis_policy("noeviction")

    with pytest.raises(SystemCheckError, match="home.W001"):
        call_command("check", deploy=True, fail_level="WARNING", tags=["caches"])


# 5. Page passwords and password resets are throttled -----------------------------

PAGE_PASSWORD = "fete-des-voisins"


@pytest.fixture
def private_page(home):
    page = xf.FormPageFactory(parent=home, slug="reserve", to_address="accueil@example.org")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    return page, f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"


def try_password(client, private_page, password, address="192.0.2.10"):
    page, url = private_page
    return client.post(url, {"password": password, "return_url": page.url}, REMOTE_ADDR=address)


def test_the_right_page_password_opens_the_page(client, private_page):
    response = try_password(client, private_page, PAGE_PASSWORD)

    assert response.status_code == 302
    assert 'name="password"' not in client.get(private_page[0].url).text


def test_thirty_wrong_page_passwords_lock_even_the_right_one_out(client, private_page):
    for number in range(30):
        try_password(client, private_page, f"essai-{number}")

    response = try_password(client, private_page, PAGE_PASSWORD)

    assert response.status_code == 429
    assert 'lang="fr"' in response.text
    assert "Trop de tentatives" in response.text
    assert 'name="password"' in client.get(private_page[0].url).text  # still asked


def test_guessing_a_page_password_from_many_addresses_is_stopped_too(client, private_page):
    for number in range(60):
        try_password(client, private_page, f"essai-{number}", address=f"198.51.100.{number}")

    response = try_password(client, private_page, PAGE_PASSWORD, address="203.0.113.5")

    assert response.status_code == 429


def test_a_few_mistakes_do_not_lock_a_visitor_out(client, private_page):
    for number in range(3):
        try_password(client, private_page, f"essai-{number}")

    assert try_password(client, private_page, PAGE_PASSWORD).status_code == 302


def test_guessing_a_collections_password_is_stopped_too(client, home):
    from wagtail.models import Collection, CollectionViewRestriction

    reserved = Collection.get_first_root_node().add_child(name="Conseil municipal")
    restriction = CollectionViewRestriction.objects.create(
        collection=reserved, restriction_type=CollectionViewRestriction.PASSWORD, password="x1"
    )
    url = f"/documents/authenticate_with_password/{restriction.pk}/"
    for number in range(30):
        client.post(url, {"password": f"essai-{number}", "return_url": "/"})

    response = client.post(url, {"password": "x1", "return_url": "/"})

    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def ask_reset(client, email, address="192.0.2.10"):
    return Client().post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_emails_are_capped_per_account(client, editor):
    editor.email = "redacteur@loire-authion.fr"
    editor.save()

    responses = [
        ask_reset(client, editor.email, address=f"198.51.100.{number}") for number in range(6)
    ]

    assert len(mail.outbox) <= 3
    assert responses[-1].status_code == 429
    assert "Trop de tentatives" in responses[-1].text


def test_password_reset_requests_are_capped_per_address(client, editor):
    for number in range(10):
        ask_reset(client, f"personne{number}@example.org")

    response = ask_reset(client, "redacteur@loire-authion.fr")

    assert response.status_code == 429
    # Another address still gets its email.
    assert ask_reset(client, "autre@example.org", address="203.0.113.9").status_code == 302


# 6. The API answers a 400, never a 500 ------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "/api/v2/pages/?search=fete&search_operator=xx",
        "/api/v2/pages/?first_published_at=2020",
        "/api/v2/pages/?type=actions.ActionPage&deadline_date=abc",
        "/api/v2/pages/?type=actions.ActionPage&deadline_date=2026-02-30",
        "/api/v2/pages/?type=actions.ActionPage&number=abc",
        "/api/v2/pages/?deadline_date=abc",
        "/api/v2/pages/?site=%00",
        "/api/v2/pages/find/?html_path=/%00/",
        "/api/v2/pages/?id=abc",
        "/api/v2/pages/?child_of=abc",
        "/api/v2/pages/?descendant_of=99999999999999999999",
        "/api/v2/pages/1/?site=%00",
        "/api/v2/pages/?search=%00",
    ],
)
def test_hostile_api_parameters_are_bad_requests(client, home, query):
    ef.agenda(home)

    response = client.get(query)

    assert response.status_code in (400, 404), response.content[:300]
    assert "message" in response.json()
