"""A form sent twice (double click, a request the browser retries) is stored once: every
public form carries a one-time token, and a second POST with it answers the same
confirmation without a new row, even when both arrive at the same moment."""

import re
import threading
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission

import pytest

from bénévolat.models import VolunteerRequest
from events.models import CeremonyKind, CeremonyRegistration
from expression.models import Submission
from home.forms import PublicFormMixin, store_once
from home.models import Commune, SubmissionToken
from tests import factories
from tests.factories import benevolat as bf
from tests.factories import events as ef
from tests.factories import expression as xf


def expression_form(home):
    data = {
        "kind": "idea",
        "subject": "Un banc au bord de la Loire",
        "message": "Un banc à La Bohalle, face au fleuve.",
        "commune": Commune.objects.get(slug="la-bohalle").pk,
        "reply": "anonymous",
        "consent": "on",
    }
    return xf.expression_page(home).url, data, Submission.objects.count


def form_page(home):
    return (
        xf.form_page_with_fields(home).url,
        {"votre_avis": "Bon", "consent": "on"},
        (FormSubmission.objects.count),
    )


def mission_request(home):
    data = {
        "name": "Jeanne Dupuis",
        "email": "jeanne@example.org",
        "availability": "Le samedi",
        "consent": "on",
    }
    return bf.association_mission(home).url, data, VolunteerRequest.objects.count


def ceremony_sign_up(home):
    page = ef.CeremonyPageFactory(
        parent=ef.agenda(home),
        kind=CeremonyKind.CITIZENSHIP,
        occurrences=ef.dates(timezone.now() + timedelta(days=30)),
    )
    data = {
        "name": "Léa Martin",
        "email": "lea@example.org",
        "birth_date": "2008-04-02",
        "guests": "2",
        "consent": "on",
    }
    return page.url, data, CeremonyRegistration.objects.count


FORMS = [expression_form, form_page, mission_request, ceremony_sign_up]
IDS = ["expression", "form page", "mission request", "ceremony sign-up"]


# SQLite (the README's default for `make test`) lets one writer at a time hold the
# whole database: two posts cannot overlap there, so the race these tests provoke
# only exists, and is only tested, on PostgreSQL (CI's database and production's).
needs_concurrent_writers = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers: no race to test (PostgreSQL runs these)",
)


def token_in(html):
    return re.search(r'name="form_token" value="([0-9a-f-]{36})"', html).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("make_form", FORMS, ids=IDS)
def test_a_double_click_stores_the_form_once(client, home, make_form):
    url, data, count = make_form(home)
    first_token = token_in(client.get(url).text)
    assert token_in(client.get(url).text) != first_token  # a new one each time

    first = client.post(url, {**data, "form_token": first_token})
    again = client.post(url, {**data, "form_token": first_token})

    assert first.status_code in (200, 302, 303), first.text[:500]
    assert again.status_code == first.status_code
    assert again.get("Location") == first.get("Location")
    assert count() == 1
    client.post(url, {**data, "form_token": str(uuid.uuid4())})
    assert count() == 2  # the same words sent again on purpose are a new form


@needs_concurrent_writers
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("make_form", FORMS, ids=IDS)
def test_two_simultaneous_posts_of_one_form_store_one_row(make_form):
    url, data, count = make_form(factories.make_site_home())
    data = {**data, "form_token": str(uuid.uuid4())}
    start = threading.Barrier(2)
    statuses = []

    def post():
        try:
            start.wait()
            statuses.append(Client().post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(statuses) == 2 and all(status < 400 for status in statuses), statuses
    assert count() == 1


@needs_concurrent_writers
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retry_arriving_while_the_first_is_being_saved_waits_and_stores_nothing():
    token = uuid.uuid4()
    claimed, release = threading.Event(), threading.Event()
    second = []

    def retry():
        try:
            claimed.wait(timeout=10)
            form = PublicFormMixin({"form_token": str(token)})
            assert form.is_valid()
            second.append(store_once(form, lambda: second.append("saved")))
        finally:
            connection.close()

    thread = threading.Thread(target=retry)
    thread.start()
    with transaction.atomic():
        SubmissionToken.claim(token)
        claimed.set()
        release.wait(timeout=0.5)  # the retry is now blocked on the token's key
    thread.join(timeout=10)
    assert second == [False]
