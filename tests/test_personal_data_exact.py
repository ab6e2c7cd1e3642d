"""The personal-data tool finds a person by their exact address, never by a part of
it: another person whose address contains it is neither exported nor erased."""

from datetime import timedelta

from django.utils import timezone

import pytest

from events.models import CeremonyKind, CeremonyRegistration
from home import rgpd
from tests.factories import events as ef

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrations(home):
    ceremony = ef.CeremonyPageFactory(
        parent=ef.agenda(home),
        kind=CeremonyKind.VOLUNTEERS,
        occurrences=ef.dates(timezone.now() + timedelta(days=30)),
    )

    def register(name, email, nominee_contact=""):
        return CeremonyRegistration.objects.create(
            ceremony=ceremony, name=name, email=email, nominee_contact=nominee_contact
        )

    return register


def exported_names(email):
    return {
        row["name"]
        for item in rgpd.export(email)["processings"]
        for row in item["rows"]
        if "name" in row
    }


def test_an_export_leaves_out_addresses_that_merely_contain_the_one_asked(registrations):
    registrations("Jean", "jean@example.org", nominee_contact="Tél. 06 00 00 00 00")
    registrations("Anne", "anne@example.org", nominee_contact="anne.martin@example.org")
    registrations("Proposant", "p@example.org", nominee_contact="Écrire à N@Example.org svp")

    assert exported_names("n@example.org") == {"Proposant"}
    assert exported_names("e.martin@example.org") == set()
    assert exported_names("anne.martin@example.org") == {"Anne"}


def test_erasing_an_address_leaves_third_parties_registrations(registrations):
    third_party = registrations(
        "Anne", "anne@example.org", nominee_contact="anne.martin@example.org"
    )
    own = registrations("Eve", "e.martin@example.org")
    nominated = registrations("Paul", "paul@example.org", nominee_contact="e.martin@example.org")

    rgpd.erase(" E.Martin@example.org ")

    third_party.refresh_from_db()
    assert third_party.nominee_contact == "anne.martin@example.org"
    assert not CeremonyRegistration.objects.filter(pk=own.pk).exists()
    # The nominee's address goes; the registration of the person who nominated them stays.
    nominated.refresh_from_db()
    assert nominated.email == "paul@example.org"
    assert "e.martin" not in nominated.nominee_contact.lower()
