"""The weekly digest of a commune's agenda or of an association, and the plan's
monthly summary: exactly what is new for the subscriber, once per period whatever
the number of runs, and not lost nor doubled when the mail server is down."""

import os
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

import pytest

from actions.blocks import StepStatus
from follow.digests import previous_month
from follow.models import ActionUpdate, Subscription, Target
from notifications.models import OutgoingEmail
from tests import factories
from tests.factories import actions as af
from tests.factories import benevolat as bf
from tests.factories.events import EventPageFactory, agenda, dates, in_days

DEVNULL = open(os.devnull, "w")  # noqa: SIM115 - the commands' reports are not read


def follow(page, email="voisine@example.org", target=Target.AGENDA, filters="", language="fr"):
    return Subscription.objects.create(
        email=email,
        page=page,
        target=target,
        filters=filters,
        language=language,
        confirmed_at=timezone.now() - timedelta(days=30),
    )


def run_digests():
    call_command("send_follow_digests", stdout=DEVNULL)


@pytest.fixture
def corne_agenda(home):
    return agenda_of_corne_and_andard(home)


def agenda_of_corne_and_andard(home):
    """The agenda with events this week in Corné and Andard, later, and past."""
    index = agenda(home)
    corne, andard = factories.home.commune("corne"), factories.home.commune("andard")
    EventPageFactory(
        parent=index, title="Marché de Corné", commune=corne, occurrences=dates(in_days(2))
    )
    EventPageFactory(
        parent=index,
        title="Balade des bords de Loire",
        commune=corne,
        occurrences=dates(in_days(5, hour=10)),
    )
    EventPageFactory(
        parent=index, title="Loto d'Andard", commune=andard, occurrences=dates(in_days(3))
    )
    EventPageFactory(
        parent=index,
        title="Concert de printemps à Corné",
        commune=corne,
        occurrences=dates(in_days(20)),
    )
    EventPageFactory(
        parent=index, title="Vide-grenier passé", commune=corne, occurrences=dates(in_days(-3))
    )
    return index


def test_the_weekly_digest_holds_exactly_the_next_events_of_the_followed_commune(
    corne_agenda, django_capture_on_commit_callbacks
):
    follow(corne_agenda, filters="commune=corne")
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    [digest] = mail.outbox
    assert digest.to == ["voisine@example.org"]
    assert "Cette semaine : Agenda (Corné)" in digest.subject
    for text in (digest.body, digest.alternatives[0].content):
        assert "Marché de Corné" in text
        assert "Balade des bords de Loire" in text
        assert "Loto d'Andard" not in text.replace("&#x27;", "'")
        assert "Concert de printemps" not in text
        assert "Vide-grenier passé" not in text
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Run again the same week (a cron retried, a second server): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_week_holds_nothing_new(home, django_capture_on_commit_callbacks):
    index = agenda(home)
    EventPageFactory(parent=index, commune=factories.home.commune("andard"))
    follow(index, filters="commune=baune")
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    assert mail.outbox == []


def test_an_association_digest_has_its_events_and_its_new_missions(
    comite, communes, django_capture_on_commit_callbacks
):
    index = agenda(comite.get_parent().get_parent())
    EventPageFactory(
        parent=comite, title="Assemblée générale du comité", occurrences=dates(in_days(4))
    )
    EventPageFactory(parent=index, title="Conseil municipal", occurrences=dates(in_days(4)))
    mission = bf.MissionPageFactory(
        parent=comite, title="Tenir la buvette", commune=communes["andard"]
    )
    mission.save_revision().publish()
    follow(comite, target=Target.ASSOCIATION)
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    [digest] = mail.outbox
    assert "Assemblée générale du comité" in digest.body
    assert "Tenir la buvette" in digest.body
    assert "Conseil municipal" not in digest.body


def test_a_subscription_made_on_the_english_site_gets_its_digest_in_english(
    corne_agenda, django_capture_on_commit_callbacks
):
    follow(corne_agenda, filters="commune=corne", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    [digest] = mail.outbox
    assert digest.subject.startswith("This week:")
    assert "Events of the coming seven days" in digest.body
    assert 'lang="en"' in digest.alternatives[0].content
    assert "/en/suivre/desabonnement/" in digest.extra_headers["List-Unsubscribe"]


def test_the_plan_monthly_summary_tells_what_moved_last_month_once(
    home, django_capture_on_commit_callbacks
):
    plan = af.action_plan(home)
    action = af.ActionPageFactory(parent=plan, number=7, title="Budget participatif")
    start, _end = previous_month(timezone.now())
    ActionUpdate.objects.create(
        page=action,
        revision_id=1,
        changes=[
            {"kind": "status", "old": StepStatus.TODO, "new": StepStatus.IN_PROGRESS},
            {"kind": "step", "id": "x", "title": "Lancer l'appel à projets"},
        ],
        created_at=start + timedelta(days=3),
    )
    subscription = follow(plan, target=Target.PLAN)
    subscription.confirmed_at = start - timedelta(days=10)
    subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
        run_digests()
    [summary] = mail.outbox
    assert "Budget participatif" in summary.body
    assert "Étape réalisée : Lancer l'appel à projets." in summary.body
    assert "« en cours »" in summary.body


UNREACHABLE_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,  # nothing listens there: the connection is refused
    "EMAIL_TIMEOUT": 2,
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_digest_is_sent_once_even_when_the_mail_server_is_down_during_the_first_run():
    home = factories.make_site_home()
    index = agenda(home)
    EventPageFactory(
        parent=index,
        title="Marché de Corné",
        commune=factories.home.commune("corne"),
        occurrences=dates(in_days(2)),
    )
    follow(index, filters="commune=corne")

    with override_settings(**UNREACHABLE_SMTP):
        run_digests()
        # The worker tries to send: the mail server refuses, the email stays pending.
        call_command("db_worker", batch=True, stdout=DEVNULL)
        [email] = OutgoingEmail.objects.all()
        assert email.status == OutgoingEmail.Status.PENDING
        # The cron runs the digests again while the server is still down.
        run_digests()
        assert OutgoingEmail.objects.count() == 1

    # The mail server is back: the pending digest goes, once.
    call_command("send_pending_emails", stdout=DEVNULL)
    run_digests()
    call_command("send_pending_emails", stdout=DEVNULL)
    assert [message.to for message in mail.outbox] == [["voisine@example.org"]]
    assert "Marché de Corné" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"


def test_a_new_mission_is_told_once_whatever_the_day_the_command_runs(
    comite, communes, django_capture_on_commit_callbacks
):
    from follow.digests import send_digests

    # A Tuesday morning, then the next Monday (the following week): the command ran
    # late the first week, on time the next.
    tuesday = timezone.now().replace(hour=7, minute=0, second=0, microsecond=0)
    tuesday -= timedelta(days=(tuesday.weekday() - 1) % 7)
    monday = tuesday + timedelta(days=6)

    def mission(title, published):
        page = bf.MissionPageFactory(parent=comite, title=title, commune=communes["andard"])
        page.save_revision().publish()
        type(page).objects.filter(pk=page.pk).update(first_published_at=published)

    mission("Tenir la buvette", tuesday - timedelta(days=1))
    mission("Trop ancienne", tuesday - timedelta(days=40))
    subscription = follow(comite, target=Target.ASSOCIATION)
    subscription.confirmed_at = tuesday - timedelta(days=60)
    subscription.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(now=tuesday) == 1
    [first] = mail.outbox
    assert "Tenir la buvette" in first.body
    assert "Trop ancienne" not in first.body

    mission("Monter les barnums", tuesday + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(now=monday) == 1
        assert send_digests(now=monday + timedelta(hours=1)) == 0
    second = mail.outbox[1]
    assert "Monter les barnums" in second.body
    assert "Tenir la buvette" not in second.body


def test_a_digest_in_english_links_to_the_english_pages(
    corne_agenda, english, django_capture_on_commit_callbacks
):
    english_agenda = factories.home.translate(corne_agenda, english)
    for event in corne_agenda.get_children().specific():
        factories.home.translate(event, english)
    # Subscribed on the French site, the language changed to English since.
    follow(corne_agenda, filters="commune=corne", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    [digest] = mail.outbox
    links = [line.strip() for line in digest.body.splitlines() if "://" in line]
    event_links = [link for link in links if "/marche-" in link or "/balade-" in link]
    assert len(event_links) == 2
    assert all("/en/" in link for link in event_links)
    assert english_agenda.full_url in digest.body
    assert "Loto d'Andard" not in digest.body
