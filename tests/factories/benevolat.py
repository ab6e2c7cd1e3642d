import datetime
from decimal import Decimal

import factory
import wagtail_factories

from bénévolat.models import (
    ActivityField,
    AssociationIndexPage,
    AssociationPage,
    MissionIndexPage,
    MissionPage,
    VolunteerHours,
    VolunteerRequest,
)
from tests.factories.home import french


class ActivityFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityField
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Domaine {n}")
    slug = factory.Sequence(lambda n: f"domaine-{n}")
    locale = factory.LazyFunction(french)


class AssociationIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AssociationIndexPage

    title = "Associations"
    slug = "associations"


class AssociationPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AssociationPage

    title = factory.Sequence(lambda n: f"Association {n}")
    presentation = "<p>Une association de Loire-Authion.</p>"
    contact_email = factory.Sequence(lambda n: f"contact{n}@asso.example.org")


class MissionIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = MissionIndexPage

    title = "Missions de bénévolat"
    slug = "benevolat"


class MissionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = MissionPage

    title = factory.Sequence(lambda n: f"Mission {n}")
    summary = "Donner un coup de main le samedi matin."
    description = "<p>Accueillir le public et tenir la buvette.</p>"
    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=10))
    volunteers_needed = 3


class VolunteerRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerRequest

    name = factory.Sequence(lambda n: f"Bénévole {n}")
    email = factory.Sequence(lambda n: f"benevole{n}@example.org")
    message = "Je suis disponible le samedi."
    consent = True


class VolunteerHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerHours

    volunteer_name = factory.Sequence(lambda n: f"Bénévole {n}")
    date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=1))
    hours = Decimal("2.5")

    class Params:
        # Checked by the communication team: only these count in the totals.
        validated = factory.Trait(
            validated_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
        )


def association_directory(home):
    return AssociationIndexPage.objects.child_of(home).first() or AssociationIndexPageFactory(
        parent=home
    )


def missions_listing(home):
    return MissionIndexPage.objects.child_of(home).first() or MissionIndexPageFactory(parent=home)


def association(home, **kwargs):
    return AssociationPageFactory(parent=association_directory(home), **kwargs)


def association_mission(home, association_page=None, **kwargs):
    return MissionPageFactory(parent=association_page or association(home), **kwargs)


PAGE_FACTORIES = {
    AssociationIndexPage: association_directory,
    AssociationPage: association,
    MissionIndexPage: missions_listing,
    MissionPage: association_mission,
}
