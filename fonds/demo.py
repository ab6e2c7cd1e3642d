"""Demo content of the fonds d'initiative citoyenne (plan action 19): the fund's page
with its rules and calendar, two partners, and applications at several stages, two of
them supported and published. Idempotent: looked up by slug, name and title."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Locale

from bénévolat.models import AssociationPage
from home.models import Commune, HomePage

from .models import Application, FundPage, Partner

RULES = (
    "<p>Le fonds cofinance de petites actions citoyennes locales : des graines pour "
    "végétaliser les pieds de murs, du tissu pour les costumes du carnaval…</p>"
    "<ul><li><b>Aide financière</b>, plafonnée par projet ;</li>"
    "<li><b>Aide matérielle</b>, fournie par les services techniques ou une entreprise ;</li>"
    "<li><b>Aide humaine</b> : mécénat de compétences de salariés d'entreprises locales.</li></ul>"
    "<p>Le comité du fonds (élus, habitants, partenaires) examine les demandes et décide "
    "de l'aide accordée.</p>"
)
ELIGIBILITY = (
    "<p>Un collectif d'au moins trois habitants de Loire-Authion, ou une association de la "
    "commune, pour un projet d'intérêt collectif, ouvert à tous, sans but lucratif.</p>"
)

PARTNERS = [
    (
        "Services techniques de Loire-Authion",
        Partner.Kind.SERVICE,
        "Prêt de matériel, terreau, transport.",
    ),
    ("Jardinerie de l'Authion", Partner.Kind.COMPANY, "Graines et plants pour la végétalisation."),
]

# (title, commune slug, status, amount granted, materials, partner names, public account)
APPLICATIONS = [
    (
        "Des fleurs au pied des murs de Corné",
        "corne",
        Application.Status.DONE,
        Decimal("180"),
        "Terreau et plants",
        ["Jardinerie de l'Authion", "Services techniques de Loire-Authion"],
        "Une vingtaine d'habitants ont semé trois rues en une matinée de mai.",
    ),
    (
        "Des costumes pour le carnaval d'Andard",
        "andard",
        Application.Status.GRANTED,
        Decimal("350"),
        "",
        [],
        "",
    ),
    ("Une boîte à livres à Bauné", "baune", Application.Status.IN_REVIEW, None, "", [], ""),
]


def load(stdout):
    french = Locale.objects.get(language_code="fr")
    home = HomePage.objects.filter(locale=french).first()
    if home is None:
        return
    page = FundPage.objects.filter(locale=french, slug="fonds-initiative-citoyenne").first()
    if page is None:
        today = timezone.localdate()
        page = home.add_child(
            instance=FundPage(
                title="Fonds d'initiative citoyenne",
                slug="fonds-initiative-citoyenne",
                intro="<p>Vous avez une idée pour votre quartier ? Le fonds vous aide à la "
                "réaliser.</p>",
                rules=RULES,
                eligibility=ELIGIBILITY,
                max_amount=Decimal("500"),
                committee_meetings=[
                    (
                        "meeting",
                        {
                            "date": today + timedelta(days=days),
                            "apply_by": today + timedelta(days=days - 21),
                            "note": "",
                        },
                    )
                    for days in (45, 135)
                ],
            )
        )
        page.save_revision().publish()
    partners = {}
    for name, kind, offers in PARTNERS:
        partners[name], _created = Partner.objects.get_or_create(
            name=name, defaults={"kind": kind, "offers": offers}
        )
    association = AssociationPage.objects.filter(locale=french).first()
    year = timezone.localdate().year
    for position, (title, slug, status, amount, materials, names, account) in enumerate(
        APPLICATIONS
    ):
        if Application.objects.filter(title=title).exists():
            continue
        granted = status in Application.GRANTED_STATUSES
        application = Application.objects.create(
            fund_page=page,
            title=title,
            summary=f"{title} : un projet porté par des habitants.",
            commune=Commune.objects.get(slug=slug),
            carrier=Application.Carrier.ASSOCIATION
            if association and position == 1
            else Application.Carrier.COLLECTIVE,
            association=association if position == 1 else None,
            collective_name="" if position == 1 else "Les voisins du bourg",
            amount_requested=amount or Decimal("200"),
            materials_requested=materials,
            contact_name="Camille Démo",
            email=f"demo-fonds-{position}@example.org",
            status=status,
            service="Vie associative",
            granted_amount=amount,
            granted_materials=materials,
            decided_at=timezone.make_aware(datetime(year, 1 + position, 10)) if granted else None,
            is_published=granted,
            public_title=title if granted else "",
            public_summary=f"{title}, avec l'aide du fonds d'initiative citoyenne."
            if granted
            else "",
            public_account=account,
        )
        application.partners.set([partners[name] for name in names])
    stdout.write(f"Fonds d'initiative citoyenne : {page.url}")
    # The demo's applications are the first figures of the indicators tied to the fund
    # (the monthly cron's job on the real site).
    call_command("compute_indicators", stdout=stdout)
