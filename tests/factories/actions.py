import factory
import wagtail_factories

from actions.blocks import StepStatus
from actions.models import ActionIndexPage, ActionPage, Theme
from tests.factories.home import french


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")
    locale = factory.LazyFunction(french)


class ActionIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ActionIndexPage

    title = "Le plan d'actions"
    slug = "plan-d-actions"


class ActionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ActionPage

    title = factory.Sequence(lambda n: f"Action {n}")
    number = factory.Sequence(lambda n: n + 1)
    summary = "Une action du projet citoyen de territoire."
    context = "<p>Le contexte de l'action.</p>"
    objectives = [("objective", "Impliquer les citoyens")]
    steps = [("step", {"title": "Définir le rôle", "status": StepStatus.TODO})]


def steps(*statuses):
    return [
        ("step", {"title": f"Étape {position + 1}", "status": status})
        for position, status in enumerate(statuses)
    ]


def indicator(name="Participants", unit="personnes", target=None, values=()):
    return (
        "indicator",
        {
            "name": name,
            "unit": unit,
            "target": target,
            "measurements": [
                {
                    "date": f"{2024 + month // 12}-{month % 12 + 1:02d}-01",
                    "value": value,
                    "comment": "",
                }
                for month, value in enumerate(values)
            ],
        },
    )


def action_plan(home):
    return ActionIndexPage.objects.child_of(home).first() or ActionIndexPageFactory(parent=home)


def action_page(home, number):
    return ActionPageFactory(parent=action_plan(home), number=number, title=f"Action {number}")


PAGE_FACTORIES = {
    ActionIndexPage: action_plan,
    ActionPage: lambda home: ActionPageFactory(
        parent=action_plan(home), indicators=[indicator(values=[3, 5, 8])]
    ),
}
