"""Property-based tests (Hypothesis): any Unicode text in any field of a public form,
or in any parameter of a filter, never makes the site fail; a refused form stores
nothing, and what an accepted one stores is normalised (NFC, no control
characters). The hand-written lists of test_hostile_input.py hold the values we
thought of; these draw the ones we did not."""

import unicodedata

from django.db import models
from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_hostile_input import (  # noqa: F401 - `site` is a fixture
    FORMS,
    QUERY_PARAMETERS,
    address,
    row_counts,
    site,
)

pytestmark = pytest.mark.django_db

# A few dozen examples each: seconds, not minutes, and every run draws new ones.
# The site is built once per test, and each example only adds rows to it.
PROPERTY_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ACCEPTED = {200, 303}
# Any character a request can carry, with those that need normalising drawn more often
# than chance would: control characters, line separators, combining accents. Lone
# surrogates (category Cs) are left out: they have no UTF-8 form, so no browser or
# HTTP client can send one (the test client itself fails to encode them).
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from("\x0b\x0c\x1b\r\x85\u2028e\u0301"),
    ),
    max_size=200,
)
CONTROLS = {chr(code) for code in range(32) if chr(code) not in "\n\t"} | {"\x7f"}


@pytest.fixture
def open_forms(settings):
    # Examples follow each other from one address: the rate limit is not what is tested.
    settings.PUBLIC_FORM_ATTEMPT_LIMIT = (10**6, 3600)


def stored_text_problems(row):
    problems = []
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if not isinstance(field, models.CharField | models.TextField) or not value:
            continue
        if CONTROLS & set(value):
            problems.append(f"{field.name}: a control character")
        if unicodedata.normalize("NFC", value) != value:
            problems.append(f"{field.name}: not NFC")
    return problems


@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_text_in_any_field_of_a_public_form(site, open_forms, data):  # noqa: F811
    form = data.draw(st.sampled_from(sorted(FORMS)), label="form")
    where, make_data, model = FORMS[form]
    fields = make_data(site)
    changed = data.draw(
        st.dictionaries(st.sampled_from(sorted(fields)), ANY_TEXT, min_size=1, max_size=3),
        label="values",
    )
    before = row_counts()

    response = Client().post(address(site, where), {**fields, **changed})

    assert response.status_code < 500
    if response.status_code in ACCEPTED:
        assert model.objects.count() == before[model.__name__] + 1
        if model._meta.app_label != "wagtailforms":  # Wagtail's form answers are JSON
            assert stored_text_problems(model.objects.order_by("-pk").first()) == []
    else:
        assert row_counts() == before


@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_text_in_any_parameter_of_a_filter(site, data):  # noqa: F811
    endpoint = data.draw(st.sampled_from(sorted(QUERY_PARAMETERS)), label="endpoint")
    where, parameters = QUERY_PARAMETERS[endpoint]
    query = data.draw(
        st.dictionaries(st.sampled_from([*parameters, "inconnu"]), ANY_TEXT, max_size=4),
        label="query",
    )

    response = Client().get(address(site, where), query)

    assert response.status_code < 500
