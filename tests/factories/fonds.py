"""Factories of the fonds d'initiative citoyenne: the fund's page, partners,
applications at any stage, and what a resident types in the form."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import factory
import wagtail_factories

from fonds.models import Application, FundPage, Partner
from home.models import Commune


class FundPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FundPage

    title = "Fonds d'initiative citoyenne"
    slug = "fonds-initiative-citoyenne"
    intro = "<p>Une idée pour votre quartier ? Le fonds vous aide à la réaliser.</p>"
    eligibility = "<p>Un collectif d'habitants ou une association de la commune.</p>"
    rules = "<p>Aide financière plafonnée, aide matérielle, mécénat de compétences.</p>"
    max_amount = Decimal("500")


def fund_page(home, **values):
    page = FundPageFactory(parent=home, **values)
    page.save_revision().publish()
    return page


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    kind = Partner.Kind.COMPANY
    offers = "Graines et plants"


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    title = factory.Sequence(lambda n: f"Projet {n}")
    summary = "Végétaliser les pieds de murs de la rue des Écoles avec les voisins."
    commune = factory.LazyFunction(lambda: Commune.objects.get(slug="andard"))
    carrier = Application.Carrier.COLLECTIVE
    collective_name = "Les voisins de la rue des Écoles"
    amount_requested = Decimal("200")
    contact_name = "Martine Dupuis"
    email = "martine.dupuis@example.org"
    phone = "06 12 34 56 78"


def granted(year, amount, partners=(), published=True, **values):
    """A project the committee granted in `year` (decision in March)."""
    decided = timezone.make_aware(timezone.datetime(year, 3, 15, 10, 0))
    application = ApplicationFactory(
        status=values.pop("status", Application.Status.GRANTED),
        granted_amount=Decimal(amount),
        decided_at=decided,
        created_at=decided - timedelta(days=40),
        is_published=published,
        public_title=values.pop("public_title", "Des fleurs au pied des murs"),
        public_summary=values.pop("public_summary", "Les habitants ont semé trois rues."),
        **values,
    )
    application.partners.set(partners)
    return application


def application_data(place, **overrides):
    """What a resident types in the fund's form."""
    data = {
        "title": "Des graines pour les pieds de murs",
        "summary": "Semer des fleurs au pied des murs de la rue des Écoles avec les voisins.",
        "commune": place.pk,
        "carrier": "collective",
        "collective_name": "Les voisins de la rue des Écoles",
        "association": "",
        "amount_requested": "150",
        "materials_requested": "Terreau",
        "skills_requested": "",
        "planned_date": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "contact_name": "Martine Dupuis",
        "email": "martine.dupuis@example.org",
        "phone": "",
        "website": "",
        "consent": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


PAGE_FACTORIES = {FundPage: fund_page}
