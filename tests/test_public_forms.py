"""Every form a citizen sends follows one flow (`home.forms.handle_public_form`): the
same refusal gets the same status code and the same kind of message on every form,
shown in one error summary at the top of the form."""

# ruff: noqa: F811 - pytest passes the imported `site` fixture by its name

from datetime import timedelta

from django.utils import timezone

import pytest

from bénévolat.models import MissionPage
from events.models import EventStatus
from home.forms import Refusal
from tests.factories import benevolat as bf
from tests.factories import events as ef

# `site` is a fixture (one page of each kind with a form), shared with the hostile input tests.
from tests.test_hostile_input import FORMS, address, row_counts, site  # noqa: F401

pytestmark = pytest.mark.django_db

# The forms of the site, by the page that holds them: the idea box, a mission's "Je
# veux aider", the general offer of help, a ceremony's sign-up, a form built by the
# team. A new public form joins this list.
PUBLIC_FORMS = ["expression", "mission", "offer", "ceremony", "survey", "fund"]
RATE_LIMIT_MESSAGE = "Vous avez envoyé beaucoup de formulaires en peu de temps"


def test_every_public_form_is_listed():
    assert sorted(PUBLIC_FORMS) == sorted(FORMS)


def test_each_refusal_has_one_status_code_across_the_site():
    assert Refusal.STATUS == {"closed": 409, "rate_limited": 429, "too_large": 413, "invalid": 400}


@pytest.mark.parametrize("form", PUBLIC_FORMS)
def test_a_valid_form_leads_to_its_thank_you_page(client, site, form):
    where, data, model = FORMS[form]
    before = model.objects.count()

    response = client.post(address(site, where), data(site))

    # A redirect that a reload cannot post again; the form builder's pages show
    # Wagtail's landing page with the answers just stored.
    assert response.status_code == (200 if form == "survey" else 303)
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("form", PUBLIC_FORMS)
def test_an_invalid_form_is_a_400_with_its_errors_summarised_at_the_top(client, site, form):
    where, data, _model = FORMS[form]
    before = row_counts()

    response = client.post(address(site, where), data(site, consent=""))

    assert response.status_code == 400
    html = response.text
    summary = html.index('id="form-errors"')
    assert "Le formulaire contient des erreurs" in html[summary:]
    assert summary < html.index('name="consent"')  # above the fields, first read
    assert "<title>Erreur :" in html
    assert row_counts() == before


@pytest.mark.parametrize("form", PUBLIC_FORMS)
def test_every_attempt_counts_toward_the_rate_limit(client, site, form, settings):
    settings.PUBLIC_FORM_ATTEMPT_LIMIT = (3, 3600)
    where, data, _model = FORMS[form]
    url = address(site, where)
    before = row_counts()
    for _ in range(3):
        assert client.post(url, data(site, consent="")).status_code == 400

    response = client.post(url, data(site))

    assert response.status_code == 429
    assert RATE_LIMIT_MESSAGE in response.text
    assert 'id="form-errors"' in response.text
    assert row_counts() == before


@pytest.mark.parametrize("form", PUBLIC_FORMS)
def test_too_many_forms_stored_from_one_address_is_a_429(client, site, form, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = (1, 3600)
    where, data, model = FORMS[form]
    url = address(site, where)
    client.post(url, data(site))
    before = row_counts()

    response = client.post(url, data(site, email="autre@example.org"))

    assert response.status_code == 429
    assert RATE_LIMIT_MESSAGE in response.text
    assert 'name="consent"' in response.text  # what was typed is there to send later
    assert row_counts() == before


def closed_mission(site):
    association = site["mission"].get_parent()
    page = bf.MissionPageFactory(
        parent=association, slug="fermee", status=MissionPage.Status.CLOSED
    )
    return page, "mission", "ne prend plus de candidature"


def filled_mission(site):
    association = site["mission"].get_parent()
    page = bf.MissionPageFactory(
        parent=association, slug="pourvue", status=MissionPage.Status.FILLED
    )
    return page, "mission", "a trouvé tous les bénévoles"


def past_ceremony(site):
    past = ef.dates(timezone.now() - timedelta(days=3))
    page = ef.CeremonyPageFactory(parent=site["agenda"], slug="passee", occurrences=past)
    return page, "ceremony", "Cette cérémonie a eu lieu"


def cancelled_ceremony(site):
    page = ef.CeremonyPageFactory(
        parent=site["agenda"],
        slug="annulee",
        status=EventStatus.CANCELLED,
        status_note="Reportée à l'automne.",
    )
    return page, "ceremony", "Cette cérémonie est annulée"


@pytest.mark.parametrize(
    "closed", [closed_mission, filled_mission, past_ceremony, cancelled_ceremony]
)
def test_a_closed_form_is_a_409_and_says_why_in_place_of_the_form(client, site, closed):
    page, form, reason = closed(site)
    _where, data, _model = FORMS[form]
    url = page.url
    before = row_counts()

    page = client.get(url)
    response = client.post(url, data(site))

    assert page.status_code == 200
    assert reason in page.text
    assert 'name="consent"' not in page.text
    assert response.status_code == 409
    assert reason in response.text
    assert 'role="alert"' in response.text
    assert row_counts() == before
