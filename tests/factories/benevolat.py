import factory
import wagtail_factories

from bénévolat.models import AssociationIndexPage, AssociationPage


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


def association_directory(home):
    return AssociationIndexPage.objects.child_of(home).first() or AssociationIndexPageFactory(
        parent=home
    )


PAGE_FACTORIES = {
    AssociationIndexPage: association_directory,
    AssociationPage: lambda home: AssociationPageFactory(parent=association_directory(home)),
}
