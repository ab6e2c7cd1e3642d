"""The benchmark's dataset: the demo site grown to the size of a commune after a few
years online, with the project's own models and page tree.

One file of over 500 lines: a single build run top to bottom, each step using the ones before.

At scale 1: the 31 actions with 24 monthly measurements per indicator, 5,000 events
(a tenth repeated every week or month) under the agenda and under associations,
300 associations, 1,000 missions, 20,000 volunteer requests, 50,000 citizen messages
with 2,000 published answers, images on some pages, the English tree synchronised
with the French one, and the search index filled.

Pages are created through Wagtail (treebeard's `add_child`), so that paths, URL
paths, dates of events and associations are exactly what editors would produce.
Pages with an image are published through a revision, as editors do, so that
whatever publishing triggers (renditions in the task queue) runs for them.

    python -m bench.dataset --database-url postgres://postgres@127.0.0.1:5432/vc_bench
"""

import argparse
import io
import os
import random
import sys
import time
import uuid
from datetime import datetime, timedelta

# Targets at scale 1 (issue 7).
EVENTS = 5_000
REPEATED_SHARE = 0.1
ASSOCIATIONS = 300
MISSIONS = 1_000
VOLUNTEER_REQUESTS = 20_000
SUBMISSIONS = 50_000
PUBLISHED_ANSWERS = 2_000
ACTIONS = 31
MONTHS_OF_MEASUREMENTS = 24
IMAGES = 24
# Shares of the pages that carry an image (and so go through a published revision).
EVENTS_WITH_IMAGE = 0.08
ASSOCIATIONS_WITH_LOGO = 0.3

EVENT_TITLES = [
    "Marché des producteurs",
    "Concert de l'école de musique",
    "Randonnée des bords de Loire",
    "Atelier réparation de vélos",
    "Réunion publique : le plan de mobilité",
    "Loto du club",
    "Tournoi de pétanque",
    "Conférence sur la biodiversité",
    "Spectacle de fin d'année",
    "Vide-greniers",
    "Heure du conte à la médiathèque",
    "Collecte de sang",
    "Bal populaire",
    "Chantier participatif au jardin partagé",
    "Permanence France services",
    "Séance de cinéma en plein air",
]
PLACES = [
    "Salle des fêtes",
    "Médiathèque",
    "Place de l'Église",
    "Salle Jeanne-d'Arc",
    "Complexe sportif",
    "Jardin partagé",
    "Mairie déléguée",
]
ASSOCIATION_KINDS = [
    "Comité des fêtes",
    "Club de football",
    "Amicale laïque",
    "Chorale",
    "Club des aînés",
    "Association des parents d'élèves",
    "Tennis de table",
    "Théâtre amateur",
    "Les jardiniers",
    "Randonneurs",
]
MISSION_TITLES = [
    "Tenir la buvette",
    "Accompagner les courses des aînés",
    "Aide aux devoirs",
    "Installer les barnums",
    "Animer un atelier tricot",
    "Livrer les colis alimentaires",
    "Encadrer les jeunes joueurs",
    "Accueillir le public",
]
SUBJECTS = [
    "Éclairage de la rue",
    "Horaires de la déchèterie",
    "Piste cyclable vers Angers",
    "Bancs au bord de la Loire",
    "Stationnement devant l'école",
    "Ramassage des encombrants",
    "Merci pour le marché de Noël",
    "Nid-de-poule route de Corné",
]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def count(target, scale):
    return max(1, round(target * scale))


def missing(target, scale, existing):
    """How many to add so that the demo's few reach the target; at least one, so that
    a tiny build still exercises every kind of page."""
    return max(1, count(target, scale) - existing)


def log(stdout, message, started):
    stdout.write(f"[{time.monotonic() - started:7.1f} s] {message}\n")
    stdout.flush()


class paused_search_index:
    """Index once at the end (`update_index`, in bulk) rather than at every save."""

    def __enter__(self):
        from django.db.models.signals import post_save

        from modelsearch import index
        from modelsearch.signal_handlers import post_save_signal_handler

        self.models = [model for model in index.get_indexed_models()]
        for model in self.models:
            post_save.disconnect(post_save_signal_handler, sender=model)

    def __exit__(self, *exc):
        from django.db.models.signals import post_save

        from modelsearch.signal_handlers import post_save_signal_handler

        for model in self.models:
            post_save.connect(post_save_signal_handler, sender=model)


def photo(rng, width=1600, height=1067):
    """A JPEG with noise, so that it weighs what a real photo weighs (about 300 KB)."""
    from PIL import Image, ImageDraw

    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = Image.new("RGB", (width, height), tuple(rng.randrange(40, 220) for _ in range(3)))
    picture = Image.blend(base, tint, 0.6)
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    picture = Image.blend(picture, noise, 0.25)
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(40, 250)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def make_image(rng, title):
    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    Image = get_image_model()
    name = f"bench-{uuid.uuid4().hex[:10]}.jpg"
    image = Image(title=title, file=ImageFile(io.BytesIO(photo(rng)), name=name))
    image.save()
    return image


def publish(page):
    page.save_revision().publish()


def add_measurements(rng, scale):
    """Two years of monthly measurements for every indicator of the 31 actions (the
    first ones only below scale 1), and steps at every stage, published as editors
    would."""
    from actions.blocks import StepStatus
    from actions.models import ActionPage

    statuses = [StepStatus.DONE, StepStatus.IN_PROGRESS, StepStatus.TODO, StepStatus.DONE]
    first_month = datetime.now().date().replace(day=1)
    months = []
    year, month = first_month.year, first_month.month
    for _ in range(MONTHS_OF_MEASUREMENTS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(first_month.replace(year=year, month=month))
    months.reverse()
    actions = ActionPage.objects.filter(locale__language_code="fr").order_by("number")
    for page in actions[: count(ACTIONS, scale)]:
        steps = page.steps.raw_data
        for step in steps:
            step["value"]["status"] = rng.choice(statuses)
        page.steps = steps
        indicators = page.indicators.raw_data
        for indicator in indicators:
            level = rng.randrange(10, 200)
            indicator["value"]["unit"] = "personnes"
            indicator["value"]["target"] = level * 2
            indicator["value"]["measurements"] = [
                {
                    # ListBlock items need their id, or Wagtail reads them as an old format.
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "date": day.isoformat(),
                        "value": level + position * rng.randrange(0, 6),
                        "comment": "",
                    },
                }
                for position, day in enumerate(months)
            ]
        page.indicators = indicators
        publish(page)


def add_associations(rng, scale, images, french):
    from bénévolat.models import ActivityField, AssociationIndexPage, AssociationPage
    from home.models import Commune

    directory = AssociationIndexPage.objects.get(locale=french)
    communes = list(Commune.objects.all())
    fields = list(ActivityField.objects.filter(locale=french))
    existing = AssociationPage.objects.filter(locale=french).count()
    for n in range(missing(ASSOCIATIONS, scale, existing)):
        commune = rng.choice(communes)
        title = f"{rng.choice(ASSOCIATION_KINDS)} de {commune.name} {n + 1}"
        page = AssociationPage(
            title=title,
            slug=f"bench-association-{n + 1}",
            presentation=(
                f"<p>{title} rassemble les habitants de {commune.name} autour de leur "
                "passion, toute l'année, dans la bonne humeur.</p>"
            ),
            contact_email=f"contact{n + 1}@asso.example.org",
            phone="02 41 00 00 00",
            meeting_place=rng.choice(PLACES),
            meeting_times="Le mardi à 20 h",
            membership="Adhésion annuelle de 15 €.",
            looking_for_volunteers=rng.random() < 0.4,
        )
        page.communes = [commune]
        page.fields = rng.sample(fields, k=min(2, len(fields)))
        with_logo = rng.random() < ASSOCIATIONS_WITH_LOGO
        if with_logo:
            page.logo = rng.choice(images)
            page.logo_alt = f"Logo de {title}"
        directory.add_child(instance=page)
        if with_logo:
            publish(page)
    return list(AssociationPage.objects.filter(locale=french))


def add_missions(rng, scale, associations, french):
    from bénévolat.models import ActivityField, MissionIndexPage, MissionPage
    from home.models import Commune

    listing = MissionIndexPage.objects.get(locale=french)
    communes = list(Commune.objects.all())
    fields = list(ActivityField.objects.filter(locale=french))
    today = datetime.now().date()
    existing = MissionPage.objects.filter(locale=french).count()
    for n in range(missing(MISSIONS, scale, existing)):
        under_association = rng.random() < 0.7
        parent = rng.choice(associations) if under_association else listing
        structure = (
            MissionPage.Structure.ASSOCIATION
            if under_association
            else rng.choice([MissionPage.Structure.CCAS, MissionPage.Structure.MAIRIE])
        )
        start = today + timedelta(days=rng.randrange(-60, 200))
        regular = rng.random() < 0.3
        page = MissionPage(
            title=f"{rng.choice(MISSION_TITLES)} ({n + 1})",
            slug=f"bench-mission-{n + 1}",
            structure=structure,
            summary="Donner un coup de main quelques heures, sans compétence particulière.",
            description="<p>Une personne de la structure vous accueille et vous explique "
            "tout. Venez comme vous êtes.</p>",
            commune=rng.choice(communes),
            place=rng.choice(PLACES),
            start_date=None if regular else start,
            end_date=None if regular else start + timedelta(days=rng.randrange(0, 30)),
            recurrence="Chaque samedi matin" if regular else "",
            volunteers_needed=rng.randrange(1, 12),
            suits_families=rng.random() < 0.3,
            status=rng.choice(["open", "open", "open", "filled", "closed"]),
        )
        page.fields = rng.sample(fields, k=min(2, len(fields)))
        parent.add_child(instance=page)
    return list(MissionPage.objects.filter(locale=french))


def add_events(rng, scale, associations, images, french, stdout):
    from events.models import (
        PARIS,
        Audience,
        EventCategory,
        EventIndexPage,
        EventOccurrence,
        EventPage,
        MunicipalService,
        Repeat,
    )
    from home.models import Commune

    agenda = EventIndexPage.objects.get(locale=french)
    communes = list(Commune.objects.all())
    categories = list(EventCategory.objects.filter(locale=french))
    now = datetime.now(PARIS)
    existing = EventPage.objects.filter(locale=french).count()
    total = missing(EVENTS, scale, existing)
    repeated = set(rng.sample(range(total), k=max(1, round(total * REPEATED_SHARE))))
    for n in range(total):
        commune = rng.choice(communes)
        under_association = rng.random() < 0.4
        parent = rng.choice(associations) if under_association else agenda
        # One year back, one year ahead: both the agenda and its archive are full.
        day = now.date() + timedelta(days=rng.randrange(-365, 365))
        start = datetime(day.year, day.month, day.day, rng.choice([10, 14, 18, 20]), tzinfo=PARIS)
        repeat, repeat_until = Repeat.NONE, None
        if n in repeated:
            repeat = rng.choice([Repeat.WEEKLY, Repeat.MONTHLY_DAY, Repeat.MONTHLY_WEEKDAY])
            weeks = 26 if repeat == Repeat.WEEKLY else 52
            repeat_until = day + timedelta(weeks=weeks)
        page = EventPage(
            title=f"{rng.choice(EVENT_TITLES)} à {commune.name}",
            slug=f"bench-evenement-{n + 1}",
            intro="Un rendez-vous ouvert à tous les habitants de Loire-Authion.",
            place_name=rng.choice(PLACES),
            address="1 place de la Mairie",
            commune=commune,
            municipal_service="" if under_association else rng.choice(MunicipalService.values),
            category=rng.choice(categories) if categories else None,
            audience=rng.choice(Audience.values),
            accessibility="Salle de plain-pied, toilettes adaptées.",
            repeat=repeat,
            repeat_until=repeat_until,
        )
        page.occurrences = [EventOccurrence(start=start, end=start + timedelta(hours=2))]
        with_image = n == 0 or rng.random() < EVENTS_WITH_IMAGE
        if with_image:
            page.image = rng.choice(images)
            page.image_alt = "Des habitants réunis sur la place du village"
        parent.add_child(instance=page)
        if with_image:
            publish(page)
        if (n + 1) % 1000 == 0:
            stdout.write(f"  {n + 1} events\n")
            stdout.flush()


def add_volunteer_requests(rng, scale, missions):
    from bénévolat.models import VolunteerRequest
    from home.models import Commune

    communes = list(Commune.objects.all())
    statuses = [VolunteerRequest.Status.NEW, VolunteerRequest.Status.IN_CONTACT]
    statuses += [VolunteerRequest.Status.ACCEPTED, VolunteerRequest.Status.ARCHIVED]
    rows = []
    for n in range(count(VOLUNTEER_REQUESTS, scale)):
        # bulk_create skips save(): the mission's structure is copied here as save() would.
        mission = rng.choice(missions) if rng.random() < 0.75 else None
        rows.append(
            VolunteerRequest(
                mission=mission,
                structure=mission.structure if mission else VolunteerRequest.Structure.GENERAL,
                association_id=mission.association_id if mission else None,
                name=f"Bénévole {n + 1}",
                email=f"benevole{n + 1}@example.org",
                message="Je suis disponible le samedi et pendant les vacances.",
                commune=rng.choice(communes),
                consent=True,
                status=rng.choice(statuses),
            )
        )
    VolunteerRequest.objects.bulk_create(rows, batch_size=2000)


def add_submissions(rng, scale):
    from django.utils import timezone

    from actions.models import ActionPage
    from expression.models import Submission
    from home.models import Commune

    communes = list(Commune.objects.all())
    actions = list(ActionPage.objects.filter(locale__language_code="fr"))
    now = timezone.now()
    total = count(SUBMISSIONS, scale)
    published = set(rng.sample(range(total), k=min(total, count(PUBLISHED_ANSWERS, scale))))
    rows = []
    for n in range(total):
        subject = rng.choice(SUBJECTS)
        created = now - timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        row = Submission(
            kind=rng.choice(Submission.Kind.values),
            subject=subject,
            message=f"{subject} : pourriez-vous me dire ce qui est prévu ? Merci.",
            commune=rng.choice(communes),
            action=rng.choice(actions) if rng.random() < 0.4 else None,
            name="" if rng.random() < 0.3 else f"Habitant {n + 1}",
            email="" if rng.random() < 0.3 else f"habitant{n + 1}@example.org",
            created_at=created,
            status=rng.choice(Submission.Status.values),
        )
        if n in published:
            # bulk_create skips save(): published_at is set here as save() would.
            row.status = Submission.Status.ANSWERED
            row.answer = "Merci pour votre message : les travaux sont prévus au printemps."
            row.answered_at = created + timedelta(days=5)
            row.is_published = True
            row.public_title = subject
            row.public_question = f"{subject} : qu'est-ce qui est prévu ?"
            row.published_at = created + timedelta(days=6)
        rows.append(row)
    Submission.objects.bulk_create(rows, batch_size=5000)


def build(scale=1.0, stdout=sys.stdout, seed=7):
    """Build the dataset in the configured database (migrated, otherwise empty)."""
    from django.core.management import call_command
    from django.db import transaction

    from wagtail.models import Locale
    from wagtail_localize.synctree import synchronize_tree

    rng = random.Random(seed)  # noqa: S311 - a reproducible dataset, not a secret
    started = time.monotonic()
    with paused_search_index():
        call_command("load_demo", stdout=io.StringIO())
        log(stdout, "demo site loaded", started)
        french = Locale.objects.get(language_code="fr")
        english = Locale.objects.get(language_code="en")
        with transaction.atomic():
            images = [
                make_image(rng, f"Photo de Loire-Authion {n + 1}")
                for n in range(count(IMAGES, scale))
            ]
            log(stdout, f"{len(images)} images", started)
            add_measurements(rng, scale)
            log(stdout, "measurements of the actions", started)
            associations = add_associations(rng, scale, images, french)
            log(stdout, f"{len(associations)} associations", started)
            missions = add_missions(rng, scale, associations, french)
            log(stdout, f"{len(missions)} missions", started)
            add_events(rng, scale, associations, images, french, stdout)
            log(stdout, "events", started)
            add_volunteer_requests(rng, scale, missions)
            log(stdout, "volunteer requests", started)
            add_submissions(rng, scale)
            log(stdout, "citizen messages", started)
        # English aliases of every new French page, as the Locales setting keeps them.
        synchronize_tree(french, english)
        log(stdout, "English tree synchronised", started)
    call_command("update_index", stdout=io.StringIO())
    log(stdout, "search index filled", started)


def publish_fresh_event(rng=None):
    """A new event with a new photo, published as an editor would: the first visit
    to its page tells whether renditions were made before anyone asked for them.
    Returns its URL path."""
    from wagtail.models import Locale

    from events.models import PARIS, EventIndexPage, EventOccurrence, EventPage
    from home.models import Commune

    rng = rng or random.Random()  # noqa: S311 - sample data
    french = Locale.objects.get(language_code="fr")
    agenda = EventIndexPage.objects.get(locale=french)
    image = make_image(rng, "Photo fraîche")
    start = datetime.now(PARIS).replace(microsecond=0) + timedelta(days=3)
    page = EventPage(
        title="Fête de la Loire",
        slug=f"fete-de-la-loire-{uuid.uuid4().hex[:8]}",
        intro="La fête de la Loire revient sur les quais de Saint-Mathurin.",
        place_name="Quai de Loire",
        commune=Commune.objects.order_by("sort_order").first(),
        image=image,
        image_alt="Des bateaux traditionnels sur la Loire",
    )
    page.occurrences = [EventOccurrence(start=start, end=start + timedelta(hours=3))]
    agenda.add_child(instance=page)
    publish(page)
    return page.url


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $DATABASE_URL")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the sizes of issue 7")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--fresh-events",
        type=int,
        default=0,
        help="publish this many new events, each with a new photo, and print their URLs",
    )
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    setup_django()
    if args.fresh_events:
        for _ in range(args.fresh_events):
            print(publish_fresh_event())
        return
    build(args.scale, seed=args.seed)


if __name__ == "__main__":
    main()
