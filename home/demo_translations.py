"""English translations of a few key pages of the demo, made the way the team would in
wagtail-localize ("Translate this page"): the English alias becomes a page of its own
with English text, so the demo shows both a translated page and a page still in French."""

from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

ENGLISH = {
    "/accueil/": {
        "Ville citoyenne": "Citizen town",
        "Ville citoyenne — Loire-Authion": "Citizen town — Loire-Authion",
        "Le site de la participation citoyenne de Loire-Authion : plan d'actions, agenda, "
        "bénévolat, boîte à idées.": "Loire-Authion's citizen participation website: the "
        "action plan, the agenda, volunteering, the idea box.",
        "Bienvenue sur <b>Ville citoyenne</b>, le site de la participation citoyenne de "
        "Loire-Authion : suivez le projet citoyen de territoire, découvrez l'agenda des "
        "communes déléguées, proposez vos idées et engagez-vous comme bénévole.": "Welcome to "
        "<b>Citizen town</b>, Loire-Authion's citizen participation website: follow the "
        "commune's citizen project, see what is on in its seven villages, share your ideas "
        "and volunteer.",
    },
    "/accueil/plan-d-actions/": {
        "Le plan d'actions": "The action plan",
        "Les 31 actions du projet citoyen de territoire de Loire-Authion et leur avancement.": (
            "The 31 actions of Loire-Authion's citizen project and how far each has come."
        ),
        "Adopté en juin 2022, le <b>projet citoyen de territoire</b> de Loire-Authion compte "
        "31 actions. Suivez l'avancement de chacune : ses étapes, son échéance et ses "
        "indicateurs, mis à jour par les services de la commune.": "Adopted in June 2022, "
        "Loire-Authion's <b>citizen project</b> has 31 actions. Follow each one: its steps, "
        "its deadline and its indicators, kept up to date by the commune's departments.",
    },
    "/accueil/agenda/": {
        "Agenda": "What's on",
        "L'agenda des sept communes déléguées de Loire-Authion.": (
            "What is on in the seven villages of Loire-Authion."
        ),
        "Ce qui se passe à Loire-Authion : les rendez-vous de la commune, de ses associations "
        "et les cérémonies citoyennes. Abonnez-vous à l'agenda de votre commune déléguée dans "
        "votre calendrier.": "What is on in Loire-Authion: the commune's events, its "
        "associations' and the citizens' ceremonies. Subscribe to your village's agenda in "
        "your calendar.",
    },
}


def translate(stdout):
    """Translate the pages above into English, once (a second run changes nothing)."""
    english = Locale.objects.get(language_code="en")
    for url_path, strings in ENGLISH.items():
        page = Page.objects.filter(url_path=url_path, locale__language_code="fr").first()
        if page is None:
            continue
        copy = page.get_translation_or_none(english)
        if copy is not None and not copy.alias_of_id:
            continue
        source, _ = TranslationSource.get_or_create_from_instance(page.specific)
        translation, _ = Translation.objects.get_or_create(
            source=source, target_locale=english, defaults={"enabled": True}
        )
        po = translation.export_po()
        for entry in po:
            entry.msgstr = strings.get(entry.msgid, "")
            if not entry.msgstr:
                raise ValueError(f"No English for {entry.msgid!r} of {url_path}")
        translation.import_po(po)
        translation.save_target(publish=True)
        stdout.write(f"Page « {page.title} » traduite en anglais.")


def translate_snippets(rows, in_english, done, stdout):
    """English copies of the demo's translatable snippets (the plan's themes, the event
    categories, the fields of activity), once: a second run changes nothing.
    `in_english` gives each row's fields in English by its slug; `done` is the line
    written for each copy, with the French `{name}`."""
    english = Locale.objects.filter(language_code="en").first()
    if english is None:
        return
    for row in rows:
        if row.slug not in in_english or row.has_translation(english):
            continue
        copy = row.copy_for_translation(english)
        for field, text in in_english[row.slug].items():
            setattr(copy, field, text)
        copy.save()
        stdout.write(done.format(name=row.name))
