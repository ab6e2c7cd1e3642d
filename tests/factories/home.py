"""Factories of the site itself: users, home and standard pages, locales; the
communes and their settings, a test client logged in."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.models import Locale, Page, Site

import factory
import wagtail_factories

from home.models import (
    AccessibilityPage,
    Commune,
    CommuneSettings,
    HomePage,
    PersonalDataPage,
    StandardPage,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Ville citoyenne"
    slug = "accueil"
    intro = "<p>Bienvenue à Loire-Authion.</p>"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page standard {n}")
    intro = "Une page d'information de la commune."


class PersonalDataPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PersonalDataPage

    title = "Données personnelles"
    slug = "donnees-personnelles"
    intro = "<p>Ce que la commune conserve, pourquoi et combien de temps.</p>"


class AccessibilityPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AccessibilityPage

    title = "Déclaration d'accessibilité"
    slug = "accessibilite"
    compliance = AccessibilityPage.Compliance.NONE
    established_on = datetime.date(2026, 12, 1)


def french():
    return Locale.objects.get(language_code="fr")


def english():
    return Locale.objects.get_or_create(language_code="en")[0]


def make_site_home():
    """The French home page as the default site's root, as the demo builds it."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, locale=french())
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


def translate(page, locale=None):
    """An English alias of `page`, as wagtail-localize's synchronisation makes it."""
    return page.copy_for_translation(locale or english(), copy_parents=True, alias=True)


def commune(slug):
    return Commune.objects.get(slug=slug)


def commune_settings(**values):
    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def login(client, user):
    client.force_login(user)
    return client


PAGE_FACTORIES = {
    HomePage: lambda home: home,
    StandardPage: lambda home: StandardPageFactory(parent=home),
    PersonalDataPage: lambda home: PersonalDataPageFactory(parent=home),
    AccessibilityPage: lambda home: AccessibilityPageFactory(parent=home),
}
