"""Demo content of the agenda: a few weeks of events across the seven communes
déléguées, from the town hall and from the demo associations (when bénévolat's demo
has created them), and two ceremonies. Dates are counted from the first run; a second
run finds every page by its slug and creates nothing."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from wagtail.models import Locale

from actions.models import ActionPage
from bénévolat.models import AssociationPage
from home.demo_images import demo_image
from home.demo_translations import translate_snippets
from home.models import Commune, HomePage

from .models import (
    PARIS,
    Audience,
    CeremonyKind,
    CeremonyPage,
    EventCategory,
    EventIndexPage,
    EventOccurrence,
    EventPage,
    EventStatus,
    Registration,
    Repeat,
)

# (name, slug, pictogram, the demo picture's motif: None leaves the events of the
# category without a picture, to show the pictogram on its colour instead)
CATEGORIES = [
    ("Fêtes et marchés", "fetes-et-marches", "basket", "market"),
    ("Spectacles et concerts", "spectacles", "music", "music"),
    ("Sport", "sport", "ball", "sport"),
    ("Nature et environnement", "nature", "tree", "nature"),
    ("Réunions publiques", "reunions-publiques", "users", "meeting"),
    ("Ateliers", "ateliers", "tools", None),
    ("Solidarité", "solidarite", "hand-heart", "solidarity"),
]

# The categories in English, as the team would translate the snippets in
# wagtail-localize: the English agenda names them in English.
CATEGORIES_IN_ENGLISH = {
    "fetes-et-marches": "Fairs and markets",
    "spectacles": "Shows and concerts",
    "sport": "Sport",
    "nature": "Nature and environment",
    "reunions-publiques": "Public meetings",
    "ateliers": "Workshops",
    "solidarite": "Solidarity",
}


# Each event: its parent association's slug (None: the town hall), its slug, title,
# commune, place, category, days from today, start (h, min), duration in hours, and
# other fields. An association missing from the demo leaves its event to the town hall.
EVENTS = [
    {
        "association": None,
        "slug": "marche-producteurs-saint-mathurin",
        "title": "Marché des producteurs locaux",
        "commune": "saint-mathurin-sur-loire",
        "place_name": "Place de l'Église",
        "category": "fetes-et-marches",
        "days": 2,
        "time": (16, 0),
        "hours": 3.5,
        "repeat": Repeat.WEEKLY,
        "weeks": 8,
        "municipal_service": "mairie",
        "intro": "Chaque semaine, les maraîchers, éleveurs et artisans des bords de Loire.",
        "accessibility": "Place de plain-pied, stationnement réservé devant l'église.",
    },
    {
        "association": None,
        "slug": "conseil-municipal",
        "title": "Conseil municipal",
        "commune": "andard",
        "whole_commune": True,
        "place_name": "Salle du conseil, mairie",
        "address": "1 rue de la Mairie",
        "category": "reunions-publiques",
        "days": 6,
        "time": (20, 30),
        "hours": 2.5,
        "municipal_service": "conseil",
        "audience": Audience.ADULTS,
        "intro": "Séance publique : budget participatif, travaux de voirie, vie associative.",
        "accessibility": "Salle accessible en fauteuil roulant, boucle magnétique.",
    },
    {
        "association": None,
        "slug": "journee-citoyenne-bords-de-loire",
        "title": "Journée citoyenne : nettoyage des bords de Loire",
        "commune": "la-dagueniere",
        "place_name": "Cale de La Daguenière",
        "category": "nature",
        "days": 12,
        "all_day": True,
        "municipal_service": "mairie",
        "audience": Audience.FAMILIES,
        "intro": "Gants et sacs fournis ; pique-nique partagé à midi.",
    },
    {
        "association": "saint-mathurin-randonnee",
        "slug": "randonnee-nocturne-changement-heure",
        "title": "Randonnée nocturne de la nuit du changement d'heure",
        "commune": "saint-mathurin-sur-loire",
        "place_name": "Parking de la levée",
        "category": "sport",
        "spring_night": True,
        "time": (22, 0),
        "hours": 5,  # 22:00 to 3:00 on the clock, four real hours: the night loses one
        "registration": Registration.PLACES,
        "places": 40,
        "registration_details": "Inscription auprès de l'association avant le jeudi.",
        "intro": "Douze kilomètres le long de la Loire à la frontale, la nuit où l'on avance l'heure.",
    },
    {
        "association": "comite-des-fetes-andard",
        "slug": "loto-comite-des-fetes-andard",
        "title": "Grand loto du comité des fêtes",
        "commune": "andard",
        "place_name": "Salle des fêtes d'Andard",
        "category": "fetes-et-marches",
        "days": 9,
        "time": (20, 0),
        "hours": 4,
        "is_free": False,
        "price": "3 € le carton, 15 € les 6",
    },
    {
        "association": "treteaux-dagueniere",
        "slug": "theatre-treteaux-printemps",
        "title": "Théâtre : « Le Bourgeois gentilhomme »",
        "commune": "la-dagueniere",
        "place_name": "Salle Jeanne-d'Arc",
        "category": "spectacles",
        "days": 20,
        "time": (20, 30),
        "hours": 2,
        "is_free": False,
        "price": "8 €, gratuit pour les moins de 12 ans",
        "status": EventStatus.FULL,
    },
    {
        "association": "ape-baune",
        "slug": "bourse-aux-jouets-baune",
        "title": "Bourse aux jouets et vêtements d'enfants",
        "commune": "baune",
        "place_name": "Salle polyvalente de Bauné",
        "category": "solidarite",
        "days": 13,
        "time": (9, 0),
        "hours": 4,
        "audience": Audience.FAMILIES,
    },
    {
        "association": "bibliotheque-baune",
        "slug": "heure-du-conte-baune",
        "title": "L'heure du conte",
        "commune": "baune",
        "place_name": "Bibliothèque de Bauné",
        "category": "ateliers",
        "days": 4,
        "time": (10, 30),
        "hours": 1,
        "audience": Audience.CHILDREN,
        "registration": Registration.PLACES,
        "places": 15,
    },
    {
        "association": "tennis-club-corne",
        "slug": "tournoi-tennis-corne",
        "title": "Tournoi de double du tennis club",
        "commune": "corne",
        "place_name": "Courts couverts de Corné",
        "category": "sport",
        "days": 16,
        "time": (9, 0),
        "hours": 9,
        "audience": Audience.YOUTH,
    },
    {
        "association": "club-aines-la-bohalle",
        "slug": "the-dansant-la-bohalle",
        "title": "Thé dansant des aînés",
        "commune": "la-bohalle",
        "place_name": "Salle de la Loire",
        "category": "fetes-et-marches",
        "days": 11,
        "time": (14, 30),
        "hours": 3,
        "audience": Audience.SENIORS,
        "status": EventStatus.POSTPONED,
        "status_note": "Reporté au printemps : la salle est en travaux.",
    },
    {
        "association": None,
        "slug": "balade-thermique-brain",
        "title": "Balade thermographique : où fuit la chaleur ?",
        "commune": "brain-sur-l-authion",
        "place_name": "Devant la mairie annexe",
        "category": "nature",
        "days": 8,
        "time": (18, 30),
        "hours": 1.5,
        "municipal_service": "mairie",
        "status": EventStatus.CANCELLED,
        "status_note": "Annulée faute de froid ; une nouvelle date sera annoncée.",
    },
    {
        "association": "familles-rurales-brain",
        "slug": "atelier-numerique-brain",
        "title": "Atelier numérique : mes démarches en ligne",
        "commune": "brain-sur-l-authion",
        "place_name": "Espace Familles rurales",
        "category": "ateliers",
        "days": 5,
        "time": (14, 0),
        "hours": 2,
        "audience": Audience.SENIORS,
        "registration": Registration.PLACES,
        "places": 8,
        "registration_details": "Au 02 41 00 00 00.",
    },
]

CEREMONIES = [
    {
        "slug": "ceremonie-citoyennete",
        "title": "Cérémonie de citoyenneté",
        "kind": CeremonyKind.CITIZENSHIP,
        "commune": "andard",
        "place_name": "Salle du conseil, mairie d'Andard",
        "days": 24,
        "time": (11, 0),
        "registration_open": True,
        "intro": (
            "Les jeunes de 18 ans inscrits sur les listes électorales reçoivent leur carte "
            "d'électeur et le livret du citoyen."
        ),
        "programme": (
            "<ul><li>Accueil par le maire</li><li>Remise des cartes d'électeur</li>"
            "<li>Échange avec les élus du conseil municipal des enfants</li>"
            "<li>Verre de l'amitié</li></ul>"
        ),
        "partners": "Conseil municipal des enfants\nPréfecture de Maine-et-Loire",
    },
    {
        "slug": "remerciement-benevoles",
        "title": "Soirée de remerciement des bénévoles",
        "kind": CeremonyKind.VOLUNTEERS,
        "commune": "corne",
        "place_name": "Ferme pédagogique des Trois Chênes",
        "venue_partner": "Ferme pédagogique des Trois Chênes",
        "days": 38,
        "time": (18, 30),
        "registration_open": False,
        "intro": "La commune remercie celles et ceux qui font vivre ses associations.",
        "partners": "Ferme pédagogique des Trois Chênes\nOffice des sports",
    },
]


def spring_night(today):
    """The Saturday before the next change to summer time (last Sunday of March)."""
    year = today.year if today < date(today.year, 3, 25) else today.year + 1
    sunday = date(year, 3, 31)
    while sunday.weekday() != 6:
        sunday -= timedelta(days=1)
    return sunday - timedelta(days=1)


def first_date(spec, today):
    day = spring_night(today) if spec.get("spring_night") else today + timedelta(days=spec["days"])
    if spec.get("all_day"):
        start = datetime.combine(day, datetime.min.time(), PARIS)
        return EventOccurrence(start=start, end=start, all_day=True)
    hour, minute = spec["time"]
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
    # Python adds to the wall-clock time: the announced end time is kept across a
    # change of time.
    end = start + timedelta(hours=spec.get("hours", 2))
    return EventOccurrence(start=start, end=end)


# What each demo picture shows, for people who cannot see it.
PICTURE_ALT = {
    "market": "Des étals aux auvents rayés au bord de la Loire.",
    "music": "Une scène éclairée de projecteurs devant le public, le soir.",
    "sport": "Un terrain de football au bord de la Loire.",
    "nature": "Des arbres au bord de la Loire, au printemps.",
    "meeting": "La façade de la mairie, drapeaux aux fenêtres.",
    "solidarity": "Des cœurs parmi les arbres, au bord de la Loire.",
    "ceremony": "La mairie pavoisée de drapeaux tricolores.",
}


def load(stdout):
    french = Locale.objects.get(language_code="fr")
    home = HomePage.objects.filter(locale=french).first()
    if home is None:
        return
    categories, motifs = {}, {}
    for name, slug, pictogram, motif in CATEGORIES:
        categories[slug], _ = EventCategory.objects.get_or_create(
            slug=slug, locale=french, defaults={"name": name, "pictogram": pictogram}
        )
        motifs[slug] = motif
    translate_snippets(
        categories.values(),
        {slug: {"name": name} for slug, name in CATEGORIES_IN_ENGLISH.items()},
        "Catégorie « {name} » traduite en anglais.",
        stdout,
    )
    communes = {commune.slug: commune for commune in Commune.objects.all()}
    today = timezone.localdate()

    index = EventIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=EventIndexPage(
                title="Agenda",
                slug="agenda",
                locale=french,
                show_in_menus=True,
                intro=(
                    "<p>Ce qui se passe à Loire-Authion : les rendez-vous de la commune, "
                    "de ses associations et les cérémonies citoyennes. Abonnez-vous à "
                    "l'agenda de votre commune déléguée dans votre calendrier.</p>"
                ),
                search_description="L'agenda des sept communes déléguées de Loire-Authion.",
            )
        )
        index.save_revision().publish()
        stdout.write("Agenda créé.")

    actions = related_actions()
    for spec in EVENTS:
        association = None
        if spec["association"]:
            association = AssociationPage.objects.filter(
                locale=french, slug=spec["association"]
            ).first()
        parent = association or index
        if EventPage.objects.filter(locale=french, slug=spec["slug"]).exists():
            continue
        event = EventPage(
            title=spec["title"],
            slug=spec["slug"],
            locale=french,
            intro=spec.get("intro", ""),
            place_name=spec["place_name"],
            address=spec.get("address", ""),
            commune=communes[spec["commune"]],
            whole_commune=spec.get("whole_commune", False),
            municipal_service="" if association else spec.get("municipal_service", "culture"),
            category=categories[spec["category"]],
            audience=spec.get("audience", Audience.EVERYONE),
            is_free=spec.get("is_free", True),
            price=spec.get("price", ""),
            registration=spec.get("registration", Registration.NONE),
            places=spec.get("places"),
            registration_details=spec.get("registration_details", ""),
            accessibility=spec.get("accessibility", ""),
            status=spec.get("status", EventStatus.SCHEDULED),
            status_note=spec.get("status_note", ""),
            occurrences=[first_date(spec, today)],
        )
        motif = motifs[spec["category"]]
        if motif is not None:
            event.image = demo_image(f"Démo — {spec['title']}", motif, seed=spec["slug"])
            event.image_alt = PICTURE_ALT[motif]
        if spec.get("repeat"):
            event.repeat = spec["repeat"]
            event.repeat_until = today + timedelta(days=spec["days"] + 7 * (spec["weeks"] - 1))
        parent.add_child(instance=event)
        if association is not None:
            event.related_actions.set(actions.get(18, []))
        event.save_revision().publish()
        stdout.write(f"Événement « {event.title} » créé.")

    for spec in CEREMONIES:
        if CeremonyPage.objects.filter(locale=french, slug=spec["slug"]).exists():
            continue
        ceremony = CeremonyPage(
            title=spec["title"],
            slug=spec["slug"],
            locale=french,
            kind=spec["kind"],
            intro=spec["intro"],
            place_name=spec["place_name"],
            venue_partner=spec.get("venue_partner", ""),
            commune=communes[spec["commune"]],
            # A ceremony of the commune welcomes people from every commune déléguée.
            whole_commune=True,
            municipal_service="mairie",
            partners=spec["partners"],
            programme=spec.get("programme", ""),
            registration_open=spec["registration_open"],
            accessibility="Lieu accessible en fauteuil roulant.",
            occurrences=[first_date(spec, today)],
            image=demo_image(f"Démo — {spec['title']}", "ceremony", seed=spec["slug"]),
            image_alt=PICTURE_ALT["ceremony"],
        )
        index.add_child(instance=ceremony)
        ceremony.related_actions.set(actions.get(31, []))
        ceremony.save_revision().publish()
        stdout.write(f"Cérémonie « {ceremony.title} » créée.")


def related_actions():
    """The plan's actions 18 (associations' agenda) and 31 (ceremonies), if loaded."""
    pages = ActionPage.objects.filter(locale__language_code="fr", number__in=[18, 31])
    found = {}
    for page in pages:
        found.setdefault(page.number, []).append(page)
    return found
