"""Demo content of the espace ressources bénévolat: a dozen associations over the
seven communes déléguées, the missions listing, a few missions (one closed, one for
families, one of the CCAS) and one association account."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail.models import Locale

from actions.models import ActionPage
from home.demo_translations import translate_snippets
from home.models import Commune, HomePage

from .accounts import ensure_members_group
from .models import (
    ActivityField,
    AssociationIndexPage,
    AssociationPage,
    MissionIndexPage,
    MissionPage,
    VolunteerHours,
    VolunteerRequest,
)

FIELDS = [
    ("Sport", "sport", "ball"),
    ("Culture et loisirs", "culture", "palette"),
    ("Solidarité", "solidarite", "hand-heart"),
    ("Enfance et jeunesse", "enfance", "baby"),
    ("Environnement", "environnement", "leaf"),
    ("Animation locale", "animation", "confetti"),
    ("Seniors", "seniors", "old"),
]

# The fields of activity in English, as the team would translate the snippets in
# wagtail-localize: the English directory and missions name them in English.
FIELDS_IN_ENGLISH = {
    "sport": "Sport",
    "culture": "Culture and leisure",
    "solidarite": "Solidarity",
    "enfance": "Children and young people",
    "environnement": "Environment",
    "animation": "Local events",
    "seniors": "Older people",
}


# (name, slug, communes, fields, looking for volunteers, presentation, meetings)
ASSOCIATIONS = [
    (
        "Comité des fêtes d'Andard",
        "comite-des-fetes-andard",
        ["andard"],
        ["animation"],
        True,
        "Le comité organise la fête de la musique, le vide-greniers de septembre et le "
        "marché de Noël d'Andard.",
        ("Salle des fêtes d'Andard", "Le premier lundi du mois à 20 h 30"),
    ),
    (
        "Union sportive Loire-Authion football",
        "us-loire-authion-football",
        ["brain-sur-l-authion", "andard"],
        ["sport", "enfance"],
        True,
        "Le club de football accueille filles et garçons dès 5 ans, des U7 aux vétérans.",
        ("Stade de Brain-sur-l'Authion", "Entraînements les mercredis et vendredis soir"),
    ),
    (
        "AMAP des bords de l'Authion",
        "amap-bords-authion",
        ["corne"],
        ["environnement"],
        False,
        "Des paniers de légumes bio d'un maraîcher de Corné, chaque jeudi, en lien direct "
        "avec les producteurs.",
        ("Préau de l'école de Corné", "Distribution le jeudi de 18 h à 19 h 30"),
    ),
    (
        "Association des parents d'élèves de Bauné",
        "ape-baune",
        ["baune"],
        ["enfance"],
        True,
        "Les parents d'élèves financent les sorties scolaires grâce à la kermesse, au "
        "loto et aux ventes de gâteaux.",
        ("École publique de Bauné", "Une réunion par période scolaire"),
    ),
    (
        "Club des aînés de La Bohalle",
        "club-aines-la-bohalle",
        ["la-bohalle"],
        ["seniors", "culture"],
        True,
        "Jeux de cartes, sorties et repas partagés pour les plus de 60 ans.",
        ("Salle du Val de La Bohalle", "Le jeudi après-midi à partir de 14 h"),
    ),
    (
        "Les Tréteaux de la Daguenière",
        "treteaux-dagueniere",
        ["la-dagueniere"],
        ["culture"],
        False,
        "La troupe de théâtre amateur joue chaque printemps une comédie au profit d'une "
        "association locale.",
        ("Salle Jeanne-de-Laval", "Répétitions le mardi à 20 h"),
    ),
    (
        "Saint-Mathurin Randonnée",
        "saint-mathurin-randonnee",
        ["saint-mathurin-sur-loire"],
        ["sport", "environnement"],
        False,
        "Randonnées sur les levées de la Loire et entretien des chemins de la commune.",
        ("Place de l'église de Saint-Mathurin", "Départs le dimanche à 9 h"),
    ),
    (
        "Restos du cœur — antenne de Loire-Authion",
        "restos-du-coeur-loire-authion",
        ["saint-mathurin-sur-loire", "la-bohalle"],
        ["solidarite"],
        True,
        "Aide alimentaire et accompagnement des familles, de novembre à mars.",
        ("Local de Saint-Mathurin-sur-Loire", "Distributions le mardi et le vendredi matin"),
    ),
    (
        "Tennis club de Corné",
        "tennis-club-corne",
        ["corne"],
        ["sport"],
        False,
        "Cours pour les enfants et les adultes, tournoi open en juin.",
        ("Courts de Corné", "Cours le samedi matin"),
    ),
    (
        "Familles rurales de Brain-sur-l'Authion",
        "familles-rurales-brain",
        ["brain-sur-l-authion"],
        ["enfance", "solidarite"],
        True,
        "Accueil de loisirs, aide aux devoirs et ateliers parents-enfants.",
        ("Maison des associations de Brain", "Aide aux devoirs les lundis et jeudis"),
    ),
    (
        "Jardins partagés d'Andard",
        "jardins-partages-andard",
        ["andard"],
        ["environnement", "animation"],
        True,
        "Des parcelles cultivées ensemble, un composteur collectif et des ateliers "
        "pour les écoles.",
        ("Jardin de la Coulée", "Le samedi matin, d'avril à octobre"),
    ),
    (
        "Bibliothèque associative de Bauné",
        "bibliotheque-baune",
        ["baune"],
        ["culture", "enfance"],
        True,
        "Des bénévoles tiennent la bibliothèque, lisent des contes et accueillent les classes.",
        ("Bibliothèque de Bauné", "Ouverte le mercredi et le samedi"),
    ),
]

# (association slug or None for the listing, structure, slug, title, commune, fields,
#  start in days, end in days, recurrence, volunteers, families, status, summary)
MISSIONS = [
    (
        "comite-des-fetes-andard",
        None,
        "benevoles-marche-de-noel",
        "Tenir un stand au marché de Noël",
        "andard",
        ["animation"],
        20,
        20,
        "",
        6,
        True,
        MissionPage.Status.OPEN,
        "Vin chaud, crêpes et accueil des exposants : venez en famille, les enfants "
        "aident à la décoration.",
    ),
    (
        "us-loire-authion-football",
        None,
        "encadrer-les-u9",
        "Aider à encadrer les U9 le mercredi",
        "brain-sur-l-authion",
        ["sport", "enfance"],
        7,
        None,
        "Chaque mercredi de 14 h à 16 h, hors vacances scolaires",
        2,
        False,
        MissionPage.Status.OPEN,
        "Seconder l'éducateur pendant l'entraînement des 7-8 ans.",
    ),
    (
        "club-aines-la-bohalle",
        None,
        "visites-de-convivialite",
        "Visites de convivialité aux aînés isolés",
        "la-bohalle",
        ["seniors", "solidarite"],
        3,
        None,
        "Une heure par semaine, selon vos disponibilités",
        4,
        False,
        MissionPage.Status.OPEN,
        "Rendre visite à une personne âgée isolée pour discuter, jouer ou se promener.",
    ),
    (
        "jardins-partages-andard",
        None,
        "chantier-compost-ete",
        "Chantier compost de l'été",
        "andard",
        ["environnement"],
        -60,
        -30,
        "",
        5,
        True,
        MissionPage.Status.CLOSED,
        "Construire le nouveau composteur collectif : mission terminée, merci aux bénévoles !",
    ),
    (
        None,
        MissionPage.Structure.CCAS,
        "livraison-colis-solidaires",
        "Livrer les colis solidaires du CCAS",
        "saint-mathurin-sur-loire",
        ["solidarite", "seniors"],
        15,
        30,
        "Deux demi-journées en décembre",
        8,
        False,
        MissionPage.Status.OPEN,
        "Porter les colis de fin d'année aux personnes âgées des sept communes déléguées.",
    ),
    (
        None,
        MissionPage.Structure.MAIRIE,
        "nettoyage-des-bords-de-loire",
        "Journée citoyenne : nettoyage des bords de Loire",
        "la-dagueniere",
        ["environnement"],
        40,
        40,
        "",
        30,
        True,
        MissionPage.Status.OPEN,
        "Une matinée pour ramasser les déchets le long de la levée, en famille ; "
        "gants et sacs fournis.",
    ),
]

MEMBER_USERNAME = "comite-fetes-andard"
MEMBER_PASSWORD = "demo-comite-andard"  # noqa: S105 - demo site only, printed to the user


def _publish(page):
    page.save_revision().publish()
    return page


def load(stdout):
    french = Locale.objects.get(language_code="fr")
    home = HomePage.objects.filter(locale=french).first()
    if home is None:
        return
    fields = {}
    for order, (name, slug, pictogram) in enumerate(FIELDS):
        fields[slug], _ = ActivityField.objects.get_or_create(
            slug=slug,
            locale=french,
            defaults={"name": name, "pictogram": pictogram, "sort_order": order},
        )
    translate_snippets(
        fields.values(),
        {slug: {"name": name} for slug, name in FIELDS_IN_ENGLISH.items()},
        "Domaine « {name} » traduit en anglais.",
        stdout,
    )
    communes = {commune.slug: commune for commune in Commune.objects.all()}

    directory = AssociationIndexPage.objects.child_of(home).first()
    if directory is None:
        directory = home.add_child(
            instance=AssociationIndexPage(
                title="Annuaire des associations",
                slug="associations",
                show_in_menus=True,
                intro="<p>Plus de cent associations font vivre les sept communes déléguées "
                "de Loire-Authion : trouvez celle qui vous ressemble.</p>",
            )
        )
        _publish(directory)
        stdout.write("Annuaire des associations créé.")

    listing = MissionIndexPage.objects.child_of(home).first()
    if listing is None:
        listing = home.add_child(
            instance=MissionIndexPage(
                title="Missions de bénévolat",
                slug="benevolat",
                show_in_menus=True,
                intro="<p>Les associations, le CCAS et la mairie cherchent des bénévoles, "
                "pour une heure ou pour l'année. Choisissez une mission et proposez "
                "votre aide.</p>",
            )
        )
        _publish(listing)
        stdout.write("Espace ressources bénévolat créé.")

    associations = {}
    for name, slug, commune_slugs, field_slugs, looking, presentation, meeting in ASSOCIATIONS:
        association = AssociationPage.objects.filter(locale=french, slug=slug).first()
        if association is None:
            association = directory.add_child(
                instance=AssociationPage(
                    title=name,
                    slug=slug,
                    presentation=f"<p>{presentation}</p>",
                    looking_for_volunteers=looking,
                    contact_email=f"{slug[:40]}@asso.loire-authion.fr",
                    meeting_place=meeting[0],
                    meeting_times=meeting[1],
                    membership="Adhésion annuelle de 10 €, gratuite pour les moins de 18 ans.",
                )
            )
            association.communes.set([communes[c] for c in commune_slugs if c in communes])
            association.fields.set([fields[f] for f in field_slugs])
            _publish(association)
            stdout.write(f"Association « {name} » créée.")
        associations[slug] = association

    plan_actions = list(
        ActionPage.objects.filter(locale=french, number__in=[17, 21]).order_by("number")
    )
    today = timezone.localdate()
    for spec in MISSIONS:
        (parent_slug, structure, slug, title, commune, field_slugs, start, end) = spec[:8]
        recurrence, needed, families, status, summary = spec[8:]
        parent = associations[parent_slug] if parent_slug else listing
        if MissionPage.objects.child_of(parent).filter(slug=slug).exists():
            continue
        mission = parent.add_child(
            instance=MissionPage(
                title=title,
                slug=slug,
                structure=structure or MissionPage.Structure.ASSOCIATION,
                summary=summary,
                description=f"<p>{summary}</p><p>Aucune compétence particulière n'est "
                "demandée : une personne de la structure vous accueille et vous "
                "explique tout.</p>",
                commune=communes.get(commune),
                start_date=today + datetime.timedelta(days=start),
                end_date=today + datetime.timedelta(days=end) if end is not None else None,
                recurrence=recurrence,
                time_asked="Deux à trois heures" if not recurrence else "",
                volunteers_needed=needed,
                suits_families=families,
                status=status,
            )
        )
        mission.fields.set([fields[f] for f in field_slugs])
        mission.related_actions.set(plan_actions)
        _publish(mission)
        stdout.write(f"Mission « {title} » créée.")

    _member_account(stdout, associations["comite-des-fetes-andard"])
    _other_requests(associations["club-aines-la-bohalle"])


def _other_requests(aines):
    """Requests the comité's member must not see: another association's, a general offer."""
    mission = MissionPage.objects.child_of(aines).first()
    for email, name, target, message in [
        ("marc.leroy@example.org", "Marc Leroy", mission, "Retraité, je peux passer le mardi."),
        ("sofia.benali@example.org", "Sofia Benali", None, "Disponible pendant les vacances."),
    ]:
        VolunteerRequest.objects.get_or_create(
            email=email,
            mission=target,
            defaults={
                "name": name,
                "message": message,
                "interests": "" if target else "Animation, aide aux devoirs",
                "consent": True,
            },
        )


def _member_account(stdout, association):
    """The comité des fêtes' account, with one request to process and hours given."""
    group = ensure_members_group(association)
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=MEMBER_USERNAME,
        defaults={
            "email": "president@comite-fetes-andard.example.org",
            "first_name": "Claire",
            "last_name": "Moreau",
        },
    )
    if created:
        user.set_password(MEMBER_PASSWORD)
        user.save()
    user.groups.add(group)

    mission = MissionPage.objects.child_of(association).first()
    if mission is not None:
        request, _ = VolunteerRequest.objects.get_or_create(
            email="jeanne.dupuis@example.org",
            mission=mission,
            defaults={
                "name": "Jeanne Dupuis",
                "phone": "06 12 34 56 78",
                "commune": Commune.objects.filter(slug="andard").first(),
                "message": "Je peux tenir le stand de crêpes avec mes deux enfants.",
                "consent": True,
            },
        )
        VolunteerHours.objects.get_or_create(
            mission=mission,
            volunteer_name="Jeanne Dupuis",
            date=timezone.localdate() - datetime.timedelta(days=2),
            defaults={"hours": Decimal("3"), "note": "Préparation des décorations"},
        )
    stdout.write(
        f"Compte d'association « {association.title} » : identifiant « {MEMBER_USERNAME} », "
        f"mot de passe « {MEMBER_PASSWORD} »"
        + ("" if created else " (s'il n'a pas été changé depuis)")
    )
