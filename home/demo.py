"""Demo content of the site itself: the home page, the legal pages, a sample page."""

from datetime import date
from decimal import Decimal

from wagtail.models import Locale, Page, Site

from .demo_images import demo_image
from .models import AccessibilityPage, CommuneSettings, HomePage, PersonalDataPage, StandardPage

HOME_INTRO = (
    "<p>Bienvenue sur <b>Ville citoyenne</b>, le site de la participation citoyenne de "
    "Loire-Authion : suivez le projet citoyen de territoire, découvrez l'agenda des "
    "communes déléguées, proposez vos idées et engagez-vous comme bénévole.</p>"
)

PAGES = [
    {
        "slug": "projet-citoyen",
        "title": "Le projet citoyen de territoire",
        "show_in_menus": True,
        "intro": (
            "Adopté en juin 2022, le projet citoyen de territoire rassemble 31 actions pour "
            "que chaque habitant des sept communes déléguées prenne part à la vie de Loire-Authion."
        ),
        "search_description": (
            "Le projet citoyen de territoire de Loire-Authion : 31 actions pour la "
            "participation citoyenne, le bénévolat et la transition écologique."
        ),
        "body": [
            ("heading", {"text": "Une démarche construite avec les habitants", "level": "h2"}),
            (
                "paragraph",
                "<p>Le week-end « Tous citoyens » et les rencontres de proximité ont fait émerger "
                "les attentes des habitants : mieux s'informer, s'exprimer, s'engager. Le plan "
                "d'actions traduit ces attentes en engagements concrets, du conseil municipal des "
                "enfants à l'espace ressources bénévolat.</p>",
            ),
            (
                "quote",
                {
                    "quote": "Une vigilance toute particulière sera portée aux réponses adressées "
                    "individuellement ou collectivement ! Il s'agit d'un dialogue, malgré la distance.",
                    "attribution": "Plan d'actions, action 5",
                },
            ),
            ("heading", {"text": "Le bénévolat au cœur du projet", "level": "h2"}),
            (
                "paragraph",
                "<p>Associations, CCAS et mairie cherchent des bénévoles : l'espace ressources "
                "bénévolat met en relation celles et ceux qui veulent aider avec les structures "
                "qui en ont besoin.</p>",
            ),
        ],
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "setting": "legal_notice_page",
        "intro": "Informations légales sur l'éditeur et l'hébergeur du site Ville citoyenne.",
        "body": [
            ("heading", {"text": "Éditeur du site", "level": "h2"}),
            (
                "paragraph",
                "<p>Commune de Loire-Authion, mairie, 1 rue de la Mairie, 49800 Loire-Authion. "
                "Directeur de la publication : le maire de Loire-Authion.</p>",
            ),
            ("heading", {"text": "Hébergement", "level": "h2"}),
            ("paragraph", "<p>Le site est hébergé en France par le prestataire de la commune.</p>"),
        ],
    },
    {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "setting": "privacy_page",
        "model": PersonalDataPage,
        "intro": (
            "<p>Ce que la commune conserve des informations que vous lui confiez sur ce site, "
            "pourquoi, combien de temps et qui peut les lire.</p>"
        ),
        "body": [
            ("heading", {"text": "Responsable du traitement", "level": "h2"}),
            (
                "paragraph",
                "<p>La commune de Loire-Authion est responsable des traitements décrits ici. "
                "Vous pouvez exercer vos droits d'accès, de rectification et d'effacement en "
                "écrivant à la mairie ou à l'adresse de contact indiquée en bas de page.</p>",
            ),
            ("heading", {"text": "Les formulaires du site", "level": "h2"}),
            (
                "paragraph",
                "<p>Chaque formulaire indique ce qu'il conserve et pour combien de temps, et "
                "renvoie à cette page. Vous pouvez aussi demander une copie de tout ce que la "
                "commune détient sur vous, ou son effacement.</p>",
            ),
        ],
    },
    {
        "slug": "accessibilite",
        "title": "Déclaration d'accessibilité",
        "setting": "accessibility_page",
        "model": AccessibilityPage,
        "intro": (
            "Ce que vous pouvez attendre de ce site quand vous naviguez avec un lecteur "
            "d'écran, au clavier ou avec un agrandissement, et à qui vous adresser sinon."
        ),
        "body": [],
        "fields": {
            "compliance": AccessibilityPage.Compliance.PARTIAL,
            "audit_date": date(2026, 11, 20),
            "audited_by": "l'équipe numérique de la commune (auto-évaluation)",
            "compliance_rate": Decimal("78.5"),
            "non_compliant": (
                "<ul><li>Les graphiques des indicateurs du plan d'actions n'ont pas "
                "d'alternative sonore : leurs chiffres sont donnés dans un tableau juste "
                "en dessous.</li><li>Certains documents PDF anciens (comptes rendus de "
                "conseil) ne sont pas balisés.</li></ul>"
            ),
            "derogations": "",
            "exempted": (
                "<ul><li>Les cartes interactives proposées par des sites tiers.</li></ul>"
            ),
            "established_on": date(2026, 12, 1),
            "test_environment": (
                "Firefox et NVDA (Windows)\nSafari et VoiceOver (macOS, iOS)\n"
                "Chrome et TalkBack (Android)"
            ),
            "tools": "axe-core\nLighthouse\nContrast Finder",
            "pages_checked": (
                "Accueil\nProjet citoyen (plan d'actions)\nUne action du plan\nAgenda\n"
                "Un événement\nBénévolat\nBoîte à idées\nRecherche\nPlan du site"
            ),
        },
    },
]


def load(stdout):
    french = Locale.objects.get(language_code="fr")
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=french).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Ville citoyenne",
                slug="accueil",
                locale=french,
                intro=HOME_INTRO,
                seo_title="Ville citoyenne — Loire-Authion",
                hero_image=demo_image("Démo — la Loire à Saint-Mathurin", "loire", seed="accueil"),
                search_description=(
                    "Le site de la participation citoyenne de Loire-Authion : plan d'actions, "
                    "agenda, bénévolat, boîte à idées."
                ),
            )
        )
        home.save_revision().publish()
        stdout.write("Page d'accueil créée.")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    if site.hostname == "localhost" and site.port == 80:
        # Wagtail's placeholder site: give it the address `make serve` uses, so that
        # full URLs (sitemap, feeds, emails) point at the demo server.
        site.hostname, site.port = "127.0.0.1", 8000
        site.save()
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Ville citoyenne"
        site.save()
        # Wagtail's placeholder "Welcome" page has no place in the tree.
        if not isinstance(old_root.specific, HomePage) and old_root.depth == 2:
            old_root.delete()

    settings = CommuneSettings.for_site(site)
    changed = False
    for spec in PAGES:
        model = spec.get("model", StandardPage)
        page = Page.objects.filter(locale=french, slug=spec["slug"]).child_of(home).first()
        if page is None:
            page = home.add_child(
                instance=model(
                    title=spec["title"],
                    slug=spec["slug"],
                    locale=french,
                    intro=spec["intro"],
                    body=spec["body"],
                    show_in_menus=spec.get("show_in_menus", False),
                    search_description=spec.get("search_description", ""),
                    **spec.get("fields", {}),
                )
            )
            page.save_revision().publish()
            stdout.write(f"Page « {page.title} » créée.")
        if spec.get("setting") and getattr(settings, f"{spec['setting']}_id") is None:
            setattr(settings, spec["setting"], page)
            changed = True
    if not settings.address:
        settings.address = "Mairie de Loire-Authion\n1 rue de la Mairie\n49800 Loire-Authion"
        settings.phone = "02 41 00 00 00"
        settings.email = "contact@loire-authion.fr"
        settings.facebook_url = "https://www.facebook.com/loireauthion"
        changed = True
    if not settings.postal_code:
        settings.postal_code = "49800"
        settings.department = "Maine-et-Loire"
        changed = True
    if changed:
        settings.save()
    return home
