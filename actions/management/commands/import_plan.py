from django.core.management.base import BaseCommand
from django.db import transaction

from wagtail.models import Locale

from actions.blocks import StepStatus
from actions.models import ActionIndexPage, ActionPage, Theme
from actions.plan import (
    context_html,
    deadline_year,
    is_postponed,
    load_plan,
    load_themes,
    referenced_actions,
    summary,
)
from home.models import HomePage

INDEX_INTRO = (
    "<p>Adopté en juin 2022, le <b>projet citoyen de territoire</b> de Loire-Authion "
    "compte 31 actions. Suivez l'avancement de chacune : ses étapes, son échéance et ses "
    "indicateurs, mis à jour par les services de la commune.</p>"
)


class Command(BaseCommand):
    help = (
        "Create the pages of the plan d'actions from actions/data/plan.yaml. Run again, it "
        "creates only what is missing and never overwrites what editors changed."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        french = Locale.objects.get(language_code="fr")
        home = HomePage.objects.filter(locale=french).first()
        if home is None:
            self.stderr.write("No French home page: run load_demo first.")
            return
        index = ActionIndexPage.objects.filter(locale=french).first()
        if index is None:
            index = home.add_child(
                instance=ActionIndexPage(
                    title="Le plan d'actions",
                    slug="plan-d-actions",
                    locale=french,
                    intro=INDEX_INTRO,
                    show_in_menus=True,
                    search_description=(
                        "Les 31 actions du projet citoyen de territoire de Loire-Authion et leur avancement."
                    ),
                )
            )
            index.save_revision().publish()
            self.stdout.write("Page « Le plan d'actions » créée.")

        themes_by_action = {}
        for order, spec in enumerate(load_themes()):
            theme, created = Theme.objects.get_or_create(
                slug=spec["slug"],
                locale=french,
                defaults={
                    "name": spec["name"],
                    "description": spec["description"],
                    "pictogram": spec.get("pictogram", "star"),
                    "sort_order": order,
                },
            )
            if created:
                self.stdout.write(f"Thème « {theme.name} » créé.")
            for number in spec["actions"]:
                themes_by_action.setdefault(number, []).append(theme)

        plan = load_plan()
        existing = set(ActionPage.objects.filter(locale=french).values_list("number", flat=True))
        created_pages = {}
        for action in plan:
            if action["number"] in existing:
                continue
            page = ActionPage(
                title=action["title"],
                slug=f"action-{action['number']}",
                locale=french,
                number=action["number"],
                summary=summary(action["context"]),
                details_to_come=action["details_missing"],
                context=context_html(action["context"]),
                objectives=[("objective", text) for text in action["objectives"]],
                steps=[
                    ("step", {"title": text, "status": StepStatus.TODO}) for text in action["steps"]
                ],
                deadline=deadline_year(action),
                deadline_note=action["deadline_note"],
                status_override=StepStatus.POSTPONED if is_postponed(action) else "",
                indicators=[
                    ("indicator", {"name": name, "unit": "", "target": None, "measurements": []})
                    for name in action["indicators"]
                ],
            )
            index.add_child(instance=page)
            page.themes.set(themes_by_action.get(action["number"], []))
            created_pages[action["number"]] = page

        # Cross-references once every page exists ("cf. action n°28").
        pages = {page.number: page for page in ActionPage.objects.filter(locale=french)}
        for action in plan:
            page = created_pages.get(action["number"])
            if page is None:
                continue
            page.related_actions.set([pages[n] for n in referenced_actions(action) if n in pages])
            page.save_revision().publish()
        self.stdout.write(
            f"{len(created_pages)} action(s) créée(s), {len(existing)} déjà présente(s)."
        )
