"""What an association member must not reach through the Wagtail admin's side doors.

The permission matrix checks the front doors (listings, edit views); these tests
check every other view Wagtail builds around them: the generic views of the
volunteering viewsets, the admin API, choosers, search, bulk and move screens, the
images a page form accepts, the groups tied to association pages, and what a
malformed StreamField post answers. They reuse the matrix's `world`.
"""

import json
from html.parser import HTMLParser

from django.contrib.auth.models import Group
from django.urls import URLPattern, reverse

from wagtail.models import Collection

import pytest

from bénévolat.accounts import add_member, associations_of, ensure_members_group
from bénévolat.admin_views import VolunteerHoursViewSet, VolunteerRequestViewSet
from bénévolat.models import AssociationPage, VolunteerHours
from tests.factories import StandardPageFactory, wagtail_factories
from tests.factories import benevolat as bf

# The matrix's fixture, imported for pytest to find: tests name it as an argument.
from tests.test_permission_matrix import body, client_for, world  # noqa: F401

# ruff: noqa: F811 - pytest gives the imported `world` fixture to the tests' arguments.

pytestmark = pytest.mark.django_db


# 1. Every generic view of the volunteering viewsets -----------------------------------


def object_urls(viewset, pk):
    """Every URL of the viewset that names one object: a view added to the viewset
    (by Wagtail or by us) is checked without being listed here."""
    urls = []
    for pattern in viewset().get_urlpatterns():
        if isinstance(pattern, URLPattern) and "pk" in pattern.pattern.converters:
            urls.append(reverse(f"{viewset.name}:{pattern.name}", args=[pk]))
    return urls


@pytest.fixture
def hours_b(world):
    return VolunteerHours.objects.get(volunteer_name="Heures Bêta")


def test_a_member_reaches_no_view_of_another_associations_request_or_hours(client, world, hours_b):
    client = client_for(client, world, "member_a")
    urls = object_urls(VolunteerRequestViewSet, world["request_b"].pk) + object_urls(
        VolunteerHoursViewSet, hours_b.pk
    )
    assert any("/usage/" in url for url in urls) and any("/history/" in url for url in urls)

    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code not in (302, 403, 404):
            problems.append(f"{url}: {response.status_code}")
        elif "Bêta" in body(response):
            problems.append(f"{url}: shows B's volunteer")
    assert problems == []


@pytest.mark.parametrize("role", ["member_a", "editor", "administrator"])
def test_the_usage_and_history_of_ones_own_requests_and_hours_open(client, world, role):
    client = client_for(client, world, role)

    for url in object_urls(VolunteerRequestViewSet, world["request_a"].pk) + object_urls(
        VolunteerHoursViewSet, world["hours_a"].pk
    ):
        if "/usage/" in url or "/history/" in url:
            assert client.get(url).status_code == 200, url


# 2. The admin API's images and documents ----------------------------------------------


@pytest.fixture
def media(world):
    collection_a = ensure_members_group(world["association_a"]).collection_permissions.first()
    own = wagtail_factories.ImageFactory(title="Image Alpha", collection=collection_a.collection)
    root = Collection.get_first_root_node()
    other = wagtail_factories.ImageFactory(title="Image Oméga", collection=root)
    document = wagtail_factories.DocumentFactory(title="Document Oméga", collection=root)
    return {"own": own, "other": other, "document": document}


def test_the_admin_api_lists_only_the_images_and_documents_a_member_may_use(client, world, media):
    client = client_for(client, world, "member_a")

    images = client.get(reverse("wagtailadmin_api:images:listing")).json()
    documents = client.get(reverse("wagtailadmin_api:documents:listing"))
    other_image = client.get(reverse("wagtailadmin_api:images:detail", args=[media["other"].pk]))

    assert [item["title"] for item in images["items"]] == ["Image Alpha"]
    assert "Document Oméga" not in body(documents)
    assert other_image.status_code == 404


def test_the_team_still_finds_every_image_and_document_in_the_admin_api(client, world, media):
    client = client_for(client, world, "editor")

    images = client.get(reverse("wagtailadmin_api:images:listing")).json()
    documents = client.get(reverse("wagtailadmin_api:documents:listing")).json()

    assert {item["title"] for item in images["items"]} == {"Image Alpha", "Image Oméga"}
    assert [item["title"] for item in documents["items"]] == ["Document Oméga"]


# 3. Choosers, search, bulk and move screens ----------------------------------------------


@pytest.fixture
def drafts(world):
    association_b = AssociationPage.objects.get(title="Comité Bêta")
    draft_b = bf.MissionPageFactory(parent=association_b, title="Brouillon Bêta", live=False)
    draft_a = bf.MissionPageFactory(
        parent=world["association_a"], title="Brouillon Alpha", live=False
    )
    return {"a": draft_a, "b": draft_b, "association_b": association_b}


def test_no_admin_screen_shows_another_associations_draft_to_a_member(client, world, drafts):
    client = client_for(client, world, "member_a")
    draft_b, association_b = drafts["b"], drafts["association_b"]
    mission_a = world["association_a_pages"][1]
    screens = {
        "chooser": reverse("wagtailadmin_choose_page_child", args=[association_b.pk]),
        "chooser search": reverse("wagtailadmin_choose_page_search") + "?q=Brouillon",
        "chooser chosen": reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={draft_b.pk}",
        "admin search": reverse("wagtailadmin_pages:search") + "?q=Brouillon",
        "explorer": reverse("wagtailadmin_explore", args=[association_b.pk]),
        "move": reverse("wagtailadmin_pages:move", args=[mission_a.pk]),
        "move confirm": reverse("wagtailadmin_pages:move_confirm", args=[mission_a.pk, draft_b.pk]),
    }
    for action in ("delete", "move", "publish", "unpublish"):
        screens[f"bulk {action}"] = (
            reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
            + f"?id={draft_b.pk}&id={drafts['a'].pk}"
        )

    responses = {name: client.get(url) for name, url in screens.items()}
    # JSON answers escape the "ê".
    title = ("Brouillon Bêta", json.dumps("Brouillon Bêta")[1:-1])
    shown = [
        name for name, response in responses.items() if any(t in body(response) for t in title)
    ]

    assert shown == []
    assert [name for name, response in responses.items() if response.status_code >= 500] == []


def test_the_chosen_pages_answer_needs_an_admin_account(client, world, drafts):
    url = reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={drafts['b'].pk}"

    assert client.get(url).status_code == 302
    assert client_for(client, world, "citizen").get(url).status_code in (302, 403)


def test_choosers_still_offer_a_member_its_own_drafts_and_the_public_pages(client, world, drafts):
    client = client_for(client, world, "member_a")

    found = body(client.get(reverse("wagtailadmin_choose_page_search") + "?q=Comit"))
    own = body(client.get(reverse("wagtailadmin_choose_page_search") + "?q=Brouillon"))

    assert "Comité Bêta" in found and "Comité Alpha" in found
    assert "Brouillon Alpha" in own


# 4. Images a page form accepts -----------------------------------------------------------


class FormFields(HTMLParser):
    """The values an admin form posts back as rendered (no JavaScript: StreamFields
    send nothing)."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # The browser drops the newline Django puts after <textarea>.
            value = self.data[self._textarea][0] + data
            self.data[self._textarea][0] = value.removeprefix("\n")


def edit_form_data(client, page):
    parser = FormFields()
    parser.feed(body(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))))
    return {name: values for name, values in parser.data.items() if name != "action-publish"}


def test_a_member_cannot_put_an_image_of_another_collection_on_its_page(client, world, media):
    client = client_for(client, world, "member_a")
    association_a = world["association_a"]
    data = edit_form_data(client, association_a)
    data.update(logo=[str(media["other"].pk)], logo_alt=["Logo"])

    response = client.post(reverse("wagtailadmin_pages:edit", args=[association_a.pk]), data)

    assert response.status_code == 200
    assert "pas dans une collection" in body(response)
    association_a.refresh_from_db()
    assert association_a.get_latest_revision_as_object().logo_id is None


def test_a_member_puts_an_image_of_its_own_collection_on_its_page(client, world, media):
    client = client_for(client, world, "member_a")
    association_a = world["association_a"]
    data = edit_form_data(client, association_a)
    data.update(logo=[str(media["own"].pk)], logo_alt=["Logo"])

    response = client.post(reverse("wagtailadmin_pages:edit", args=[association_a.pk]), data)

    assert response.status_code == 302
    association_a.refresh_from_db()
    assert association_a.get_latest_revision_as_object().logo_id == media["own"].pk


def test_the_team_puts_any_image_on_an_association_page(client, world, media):
    client = client_for(client, world, "editor")
    association_a = world["association_a"]
    data = edit_form_data(client, association_a)
    data.update(logo=[str(media["other"].pk)], logo_alt=["Logo"])

    response = client.post(reverse("wagtailadmin_pages:edit", args=[association_a.pk]), data)

    assert response.status_code == 302


# 5. Groups tied to the association page, not to its title -------------------------------


def test_an_association_renamed_like_another_keeps_its_members_apart(world):
    association_a = world["association_a"]
    association_b = AssociationPage.objects.get(title="Comité Bêta")
    group_b = ensure_members_group(association_b)
    Group.objects.filter(pk=ensure_members_group(association_a).pk).delete()
    association_a.title = "Comité Bêta"
    association_a.save()

    newcomer, _password = add_member(association_a, "nouveau", "n@example.org")

    assert not newcomer.groups.filter(pk=group_b.pk).exists()
    assert associations_of(newcomer) == {association_a.pk}
    assert set(associations_of(world["users"]["member_b"])) == {association_b.pk}
    collection = ensure_members_group(association_a).collection_permissions.first().collection
    assert collection != group_b.collection_permissions.first().collection


def test_a_renamed_association_keeps_its_group_and_collection(world):
    association_a = world["association_a"]
    group = ensure_members_group(association_a)
    collections = Collection.objects.count()
    association_a.title = "Comité Alpha renommé"
    association_a.save()

    newcomer, _password = add_member(association_a, "nouvelle", "n@example.org")

    assert list(newcomer.groups.all()) == [group]
    assert Collection.objects.count() == collections


# 6. A StreamField post without its count --------------------------------------------------


def test_an_edit_post_missing_a_streams_count_is_refused_without_a_server_error(
    client, world, home
):
    page = StandardPageFactory(parent=home, title="Page à contenu")
    client = client_for(client, world, "administrator")
    data = edit_form_data(client, page)
    assert "body-count" not in data

    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    assert response.status_code == 400
