"""Demo subscriptions: a few fictional addresses (example.org) following the agenda
of their commune déléguée, an action, an association and the plan, already
confirmed, so that the admin shows followers and the digest preview has something
to show. A second run finds each by its address, page and filters and creates
nothing."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import Locale

from actions.models import ActionIndexPage, ActionPage
from bénévolat.models import AssociationPage
from events.models import EventIndexPage

from .models import Subscription, target_of

# (address, what is followed, agenda filters, language of the emails)
SUBSCRIPTIONS = [
    ("camille.demo@example.org", "agenda", "commune=saint-mathurin-sur-loire", "fr"),
    ("camille.demo@example.org", "action", "", "fr"),
    ("camille.demo@example.org", "plan", "", "fr"),
    ("dominique.demo@example.org", "agenda", "commune=baune", "fr"),
    ("dominique.demo@example.org", "association", "", "fr"),
    ("sam.demo@example.org", "agenda", "", "en"),
    ("sam.demo@example.org", "action", "", "en"),
]


def followed_pages(french):
    pages = {
        "agenda": EventIndexPage.objects.filter(locale=french).first(),
        "action": ActionPage.objects.filter(locale=french).order_by("number").first(),
        "plan": ActionIndexPage.objects.filter(locale=french).first(),
        "association": AssociationPage.objects.filter(locale=french).order_by("title").first(),
    }
    return {name: page for name, page in pages.items() if page is not None}


def load(stdout):
    french = Locale.objects.get(language_code="fr")
    pages = followed_pages(french)
    confirmed_at = timezone.now() - timedelta(days=21)
    created = 0
    for email, name, filters, language in SUBSCRIPTIONS:
        page = pages.get(name)
        if page is None:  # the app that holds it brought no demo content
            continue
        subscription, new = Subscription.objects.get_or_create(
            email=email,
            page=page,
            filters=filters,
            defaults={
                "target": target_of(page),
                "language": language,
                "created_at": confirmed_at,
                "confirmation_sent_at": confirmed_at,
            },
        )
        subscription.confirm(now=confirmed_at)
        created += new
    stdout.write(
        f"Abonnements par courriel : {Subscription.objects.confirmed().count()} confirmés "
        f"({created} créés)"
    )
