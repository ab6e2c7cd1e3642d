"""The personal data page and the database-down page in Chromium, with axe-core's
accessibility checks, on a phone-sized screen."""

from django.template import loader
from django.utils import translation

import pytest

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_personal_data_and_503_pages_have_no_serious_accessibility_violation(
    live_server, page, axe_violations
):
    home = factories.make_site_home()
    personal_data = factories.PersonalDataPageFactory(parent=home)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(live_server.url + personal_data.url)
    assert page.get_by_role("heading", name="Demandes de bénévolat").is_visible()
    assert axe_violations(page) == []

    with translation.override("fr"):
        page.set_content(loader.get_template("503.html").render())
    assert page.get_by_role("heading", name="Site momentanément indisponible").is_visible()
    assert axe_violations(page) == []
