"""Someone throws hostile values at every public form, filter and search of the site.

Whatever comes in (overlong strings, NUL bytes, impossible dates, absurd page numbers,
unknown filter values, script and SQL fragments, odd unicode, broken multipart bodies,
fake or huge photos), the site answers a 2xx or a 4xx, in French, never a 500; a
script never comes back unescaped; and a refused form stores nothing.
"""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wagtail.contrib.forms.models import FormSubmission

import pytest

from bénévolat.models import VolunteerRequest
from events.models import CeremonyRegistration
from expression.models import Submission
from fonds.models import Application
from home.models import Commune
from notifications.models import OutgoingEmail
from tests.factories import actions as af
from tests.factories import benevolat as bf
from tests.factories import events as ef
from tests.factories import expression as xf
from tests.factories import fonds as ff

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE_VALUES = {
    "overlong": "x" * 99_999 + "é",
    "nul-byte": "abc\x00def",
    "lone-nul": "\x00",
    "impossible-date": "2026-02-30",
    "far-year": "99999-01-01",
    "not-a-date": "abc",
    "negative": "-1",
    "zero": "0",
    "huge-number": str(10**30),
    "script": SCRIPT,
    "sql": "' OR 1=1 --",
    "rtl-override": "\u202egnp.exe",
    "emoji": "😀🏳️‍🌈",
    "unknown-slug": "commune-qui-n-existe-pas",
}
# Raw query strings: bytes a browser would never send, which Django must decode.
RAW_QUERIES = ["%ED%A0%80", "%zz", "%", "%E9t%E9", "%00", "%C0%AF"]
STORED_ROWS = [
    Submission,
    VolunteerRequest,
    CeremonyRegistration,
    FormSubmission,
    Application,
    OutgoingEmail,
]


def row_counts():
    return {model.__name__: model.objects.count() for model in STORED_ROWS}


def problems_with(response, what):
    """What is wrong with this answer, as readable strings (empty when all is well)."""
    problems = []
    if response.status_code >= 500:
        problems.append(f"{what}: {response.status_code}")
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace") if not response.streaming else ""
    if SCRIPT in body and "html" in content_type:
        problems.append(f"{what}: the script came back unescaped")
    if 400 <= response.status_code < 500 and "html" in content_type and 'lang="fr"' not in body:
        problems.append(f"{what}: {response.status_code} without a French page")
    return problems


@pytest.fixture
def site(home):
    """One of each public page that reads a query string or takes a form."""
    andard = Commune.objects.get(slug="andard")
    plan = af.action_plan(home)
    action = af.ActionPageFactory(parent=plan, number=5)
    directory = bf.association_directory(home)
    comite = bf.AssociationPageFactory(parent=directory, title="Comité des fêtes", slug="comite")
    listing = bf.missions_listing(home)
    mission = bf.MissionPageFactory(parent=comite, slug="buvette", commune=andard)
    agenda = ef.agenda(home)
    ef.EventPageFactory(parent=comite)
    ceremony = ef.CeremonyPageFactory(parent=agenda, slug="citoyennete")
    expression = xf.expression_page(home)
    questions = xf.questions_answers_page(home)
    xf.PublishedSubmissionFactory(action=action)
    fund = ff.fund_page(home)
    ff.granted(2025, "180")
    survey = xf.FormPageFactory(parent=home, slug="enquete", to_address="accueil@example.org")
    xf.FormFieldFactory(page=survey, label="Votre avis", field_type="singleline")
    xf.FormFieldFactory(
        page=survey, label="Note", field_type="dropdown", choices="Bien\nMoyen", required=False
    )
    xf.FormFieldFactory(page=survey, label="Nombre", field_type="number", required=False)
    xf.FormFieldFactory(page=survey, label="Date", field_type="date", required=False)
    return {
        "andard": andard,
        "action": action,
        "plan": plan,
        "directory": directory,
        "listing": listing,
        "mission": mission,
        "agenda": agenda,
        "ceremony": ceremony,
        "expression": expression,
        "questions": questions,
        "survey": survey,
        "fund": fund,
    }


# Filters, search and pagination ---------------------------------------------------

QUERY_PARAMETERS = {
    "search": ("/recherche/", ["q", "page"]),
    "plan": ("plan", ["theme", "statut", "commune"]),
    "plan-csv": ("plan:donnees/csv/", ["theme", "statut", "commune"]),
    "agenda": ("agenda", ["du", "au", "commune", "categorie", "organisateur", "public", "page"]),
    "agenda-archives": ("agenda:archives/", ["du", "au", "commune", "page"]),
    "agenda-ical": ("agenda:ical/", ["du", "au", "commune", "organisateur"]),
    "agenda-rss": ("agenda:rss/", ["du", "categorie", "organisateur", "public"]),
    "directory": ("directory", ["q", "domaine", "commune", "benevoles", "page"]),
    "missions": ("listing", ["commune", "domaine", "date", "familles", "ouvertes", "page"]),
    "questions": ("questions", ["q", "type", "commune", "action", "page"]),
    "fund-gallery": ("fund:projets-soutenus/", ["page"]),
    "expression": ("expression", ["type", "action"]),
    # The old English name answers a redirect to the French one.
    "questions-old-names": ("questions", ["kind"]),
    "api": ("/api/v2/pages/", ["type", "fields", "limit", "offset", "search", "order"]),
}


def address(site, where):
    if where.startswith("/"):
        return where
    page, _, route = where.partition(":")
    return site[page].url + route


@pytest.mark.parametrize("endpoint", QUERY_PARAMETERS)
def test_hostile_query_values_never_break_a_listing(site, endpoint):
    # A 500 is collected with the rest rather than stopping the test at the first.
    client = Client(raise_request_exception=False)
    where, parameters = QUERY_PARAMETERS[endpoint]
    url = address(site, where)
    problems = []
    # Every parameter at once, with each hostile value (but the longest)...
    for name, value in HOSTILE_VALUES.items():
        if name == "overlong":
            continue
        response = client.get(url, dict.fromkeys(parameters, value))
        problems += problems_with(response, f"all={name}")
    for raw in RAW_QUERIES:
        response = client.get(url + "?" + "&".join(f"{key}={raw}" for key in parameters))
        problems += problems_with(response, f"all={raw}")
    # ...and each alone with the values that reach the database, as an earlier
    # invalid parameter could keep a later one from being read.
    for parameter in parameters:
        for name in ("nul-byte", "huge-number", "overlong"):
            response = client.get(url, {parameter: HOSTILE_VALUES[name]})
            problems += problems_with(response, f"{parameter}={name}")

    assert problems == []


def test_an_invalid_agenda_filter_is_told_in_french(client, site):
    response = client.get(site["agenda"].url, {"du": "2026-02-30"})

    assert response.status_code == 400
    assert "Saisissez une date valide" in response.text


def test_the_search_keeps_a_script_as_text(client, site):
    response = client.get("/recherche/", {"q": SCRIPT})

    assert response.status_code == 200
    assert SCRIPT not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# Public forms ---------------------------------------------------------------------


def expression_data(site, **overrides):
    return {
        "kind": "idea",
        "subject": "Des bancs au bord de Loire",
        "message": "Installer des bancs le long de la levée à Saint-Mathurin.",
        "commune": site["andard"].pk,
        "action": "",
        "reply": "email",
        "name": "Camille Martin",
        "email": "camille@example.org",
        "website": "",
        "consent": "on",
        **overrides,
    }


def volunteer_data(**overrides):
    data = {
        "name": "Jeanne Dupuis",
        "email": "jeanne@example.org",
        "phone": "06 12 34 56 78",
        "commune": "",
        "interests": "Aider aux fêtes",
        "availability": "Le samedi",
        "message": "Je peux aider.",
        "website": "",
        "consent": "on",
        **overrides,
    }
    # A mission's form has no "interests": only the general offer asks for them.
    return {field: value for field, value in data.items() if value is not None}


def ceremony_data(**overrides):
    return {
        "name": "Léa Martin",
        "email": "lea@example.org",
        "phone": "",
        "birth_date": "2008-04-02",
        "guests": "2",
        "website": "",
        "consent": "on",
        **overrides,
    }


def survey_data(**overrides):
    return {
        "votre_avis": "Très bon accueil",
        "note": "Bien",
        "nombre": "3",
        "date": "2026-05-01",
        "website": "",
        "consent": "on",
        **overrides,
    }


FORMS = {
    "expression": ("expression", expression_data, Submission),
    "mission": ("mission", lambda site, **o: volunteer_data(interests=None, **o), VolunteerRequest),
    "offer": (
        "listing:proposer-mon-aide/",
        lambda site, **o: volunteer_data(**o),
        VolunteerRequest,
    ),
    "ceremony": ("ceremony", lambda site, **o: ceremony_data(**o), CeremonyRegistration),
    "survey": ("survey", lambda site, **o: survey_data(**o), FormSubmission),
    "fund": ("fund", lambda site, **o: {**ff.application_data(site["andard"]), **o}, Application),
}
TEXT_FIELDS = {
    "expression": ["subject", "message", "name"],
    "mission": ["name", "message", "availability"],
    "offer": ["name", "interests", "message"],
    "ceremony": ["name"],
    "survey": ["votre_avis"],
    "fund": ["title", "summary", "contact_name"],
}
# Values no field accepts whole: each refused with a French message.
REFUSED_VALUES = {
    "overlong": ("x" * 99_999 + "é", ["caractères", "choix valide", "valide", "nombre"]),
    "nul-byte": ("abc\x00def", ["caractère nul", "choix valide", "valide", "nombre"]),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_valid_form_stores_exactly_one_row(client, site, form):
    where, data, model = FORMS[form]
    before = model.objects.count()

    response = client.post(address(site, where), data(site))

    assert response.status_code in (302, 303, 200)
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("form", FORMS)
def test_hostile_fields_and_robots_are_refused_in_french_and_store_nothing(site, form, settings):
    # Every attempt counts toward the rate limit; here each field's validation is
    # under test, dozens of posts from one address.
    settings.PUBLIC_FORM_ATTEMPT_LIMIT = (1000, 3600)
    client = Client(raise_request_exception=False)
    where, data, _model = FORMS[form]
    url = address(site, where)
    valid = data(site)
    before = row_counts()
    # Every text field is bounded in the page already (the survey's date question is
    # read as a date, however long what is typed).
    html = client.get(url).text
    text_inputs = re.findall(
        r'<(?:input[^>]*type="(?:text|email|tel|url|search)"|textarea)[^>]*>', html
    )
    problems = [
        f"unbounded: {tag}"
        for tag in text_inputs
        if "maxlength=" not in tag and 'name="date"' not in tag
    ]
    if not text_inputs:
        problems.append("no text field found in the page")
    for field in valid:
        if field in ("website", "consent"):
            continue
        for name, (value, french_words) in REFUSED_VALUES.items():
            response = client.post(url, {**valid, field: value})
            what = f"{field}={name}"
            problems += problems_with(response, what)
            if response.status_code != 400:
                problems.append(f"{what}: {response.status_code} instead of 400")
            elif not any(word in response.text for word in french_words):
                problems.append(f"{what}: no French message")
    # A robot filling the honeypot.
    response = client.post(url, {**valid, "website": "http://spam.example"})
    if response.status_code != 400 or "semble automatisé" not in response.text:
        problems.append(f"honeypot: {response.status_code}")
    # Scripts and SQL in the text fields, with an invalid email that keeps the form
    # on screen with everything typed in it: shown as text, never run.
    hostile = {field: SCRIPT + "' OR 1=1 --" for field in TEXT_FIELDS[form]}
    response = client.post(url, {**valid, **hostile, "email": "pas-une-adresse", "nombre": "x"})
    problems += problems_with(response, "script")

    assert problems == []
    assert response.status_code == 400
    assert "&lt;script&gt;" in response.text
    assert row_counts() == before


@pytest.mark.parametrize("form", FORMS)
def test_broken_requests_are_refused_in_french(site, form):
    client = Client(raise_request_exception=False)
    where, data, _model = FORMS[form]
    url = address(site, where)
    before = row_counts()
    bodies = {
        "truncated-multipart": (
            b'--frontier\r\nContent-Disposition: form-data; name="name"\r\n\r\nJeanne',
            "multipart/form-data; boundary=frontier",
        ),
        "multipart-without-boundary": (b"name=Jeanne", "multipart/form-data"),
        "wrong-content-type": (b'{"name": "Jeanne"}', "application/json"),
        "bad-percent-encoding": (
            b"name=%ED%A0%80&email=%zz%&consent=%C0%AF",
            "application/x-www-form-urlencoded",
        ),
        "too-many-fields": (
            "&".join(f"f{number}=x" for number in range(10_001)).encode(),
            "application/x-www-form-urlencoded",
        ),
        "too-large": (b"message=" + b"x" * (3 * 1024 * 1024), "application/x-www-form-urlencoded"),
    }
    problems = []
    for name, (body, content_type) in bodies.items():
        response = client.generic("POST", url, body, content_type=content_type)
        problems += problems_with(response, name)
        if not 400 <= response.status_code < 500:
            problems.append(f"{name}: {response.status_code}")
    # Posted without the form's security token (from another site, or a page kept
    # open too long).
    response = Client(enforce_csrf_checks=True).post(url, data(site))

    assert problems == []
    assert response.status_code == 403
    assert "Formulaire non envoyé" in response.text
    assert row_counts() == before


def test_an_unreadable_body_is_told_in_french(client, site):
    response = client.generic(
        "POST",
        site["mission"].url,
        b"--frontier\r\nContent-Disposition: form-data",
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert "Requête incorrecte" in response.text
    assert "trop volumineux, ou incomplet" in response.text


# Photos of a report ---------------------------------------------------------------


def post_photo(client, site, upload):
    return client.post(site["expression"].url, expression_data(site, kind="report", photo=upload))


def test_a_text_file_named_like_a_photo_is_refused(client, site):
    before = row_counts()

    response = post_photo(
        client, site, SimpleUploadedFile("trou.jpg", b"GIF89a? not really", "image/jpeg")
    )

    assert response.status_code == 400
    assert "pas une photo dans un format accepté" in response.text
    assert row_counts() == before


def test_an_oversized_photo_is_refused_before_it_is_read(client, site):
    before = row_counts()

    response = post_photo(
        client, site, SimpleUploadedFile("enorme.jpg", b"\xff" * (9 * 1024 * 1024), "image/jpeg")
    )

    assert response.status_code == 413
    assert "8 Mo" in response.text
    assert row_counts() == before


# A rate limit per address ---------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_one_address_sending_too_many_forms_is_slowed_down(client, site, form, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = (2, 3600)
    where, data, model = FORMS[form]
    url = address(site, where)
    before = model.objects.count()
    for number in range(2):
        client.post(url, data(site, email=f"personne{number}@example.org"))

    response = client.post(url, data(site, email="encore@example.org"))

    assert response.status_code == 429
    assert "beaucoup de formulaires" in response.text
    assert model.objects.count() == before + 2
    # Another address is not slowed down.
    other = client.post(url, data(site, email="voisin@example.org"), REMOTE_ADDR="192.0.2.99")
    assert other.status_code in (200, 302, 303)
    assert model.objects.count() == before + 3
