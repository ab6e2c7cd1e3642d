"""What the commune's team and its host rely on: roles, settings read from the
environment, production settings that pass Django's deployment check, and the
email queue that survives a mail-server outage."""

import os
import subprocess
import sys

from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings

from wagtail.models import Page

import pytest

from home.models import HomePage, StandardPage
from notifications.models import OutgoingEmail
from tests import factories

EDITORS = "Communication — rédacteurs"
MODERATORS = "Communication — modérateurs"
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Roles -----------------------------------------------------------------------


@pytest.mark.django_db
def test_editors_draft_and_moderators_publish(home):
    page = factories.StandardPageFactory(parent=home, title="Vie locale")
    editor = factories.UserFactory(username="redacteur", groups=[EDITORS])
    moderator = factories.UserFactory(username="moderatrice", groups=[MODERATORS])

    editor_rights = page.permissions_for_user(editor)
    moderator_rights = page.permissions_for_user(moderator)

    assert editor_rights.can_edit() and editor_rights.can_add_subpage()
    assert not editor_rights.can_publish()
    assert not editor_rights.can_delete()
    assert moderator_rights.can_publish()
    # Neither manages users, groups or the site's structure.
    for user in (editor, moderator):
        assert not user.has_perm("auth.change_user")
        assert not user.has_perm("auth.change_group")
        assert not user.has_perm("wagtailcore.change_site")
    assert moderator.has_perm("home.change_communesettings")
    assert not editor.has_perm("home.change_communesettings")


@pytest.mark.django_db
def test_an_editor_submits_a_page_for_moderation_instead_of_publishing(home):
    factories.UserFactory(username="redacteur", groups=[EDITORS])
    client = Client()
    client.login(username="redacteur", password="correct horse battery")
    response = client.post(
        f"/admin/pages/add/home/standardpage/{home.pk}/",
        {
            "title": "Nouvelle page",
            "slug": "nouvelle-page",
            "intro": "",
            "body-count": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302
    page = StandardPage.objects.get(slug="nouvelle-page")
    assert not page.live  # the publish button is not theirs: the page stays a draft


@pytest.mark.django_db
def test_the_accessibility_checker_is_in_the_editors_user_bar(home):
    factories.UserFactory(username="redacteur", groups=[EDITORS])
    client = Client()
    client.login(username="redacteur", password="correct horse battery")
    html = client.get("/").text
    assert "w-userbar" in html
    # Wagtail's accessibility checker: axe-core's configuration ships with the user bar.
    assert 'id="checker-axe-configuration"' in html


# Settings from the environment ------------------------------------------------


def test_booleans_from_the_environment_are_read_as_booleans(monkeypatch):
    from ville_citoyenne.settings.base import env_bool

    monkeypatch.setenv("FLAG", "False")
    assert env_bool("FLAG") is False
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def run_manage(args, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(environment)
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "ville_citoyenne.settings.production",
    "DATABASE_URL": "postgres://user:secret@db.example.org:5432/ville",
    "ALLOWED_HOSTS": "citoyen.loire-authion.fr",
}


def test_production_refuses_to_start_without_its_secret_key():
    result = run_manage(["check"], **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_settings_pass_the_deployment_check():
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="k" * 20 + "-a-long-random-production-secret-0123456789",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


# The email queue -------------------------------------------------------------

UNREACHABLE_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,  # nothing listens there: the connection is refused
    "EMAIL_TIMEOUT": 2,
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_queued_during_a_mail_outage_is_sent_once_the_server_is_back():
    from django_tasks_db.models import DBTaskResult

    with override_settings(**UNREACHABLE_SMTP):
        from django.db import transaction

        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                to="habitante@example.org", subject="Votre message", body="Bien reçu."
            )
            transaction.on_commit(email.enqueue)
        assert DBTaskResult.objects.count() == 1
        # The worker runs the task: the mail server refuses, the email is kept
        # and the task queued again for later.
        call_command("db_worker", batch=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        email.refresh_from_db()
        assert email.status == OutgoingEmail.Status.PENDING
        assert email.attempts >= 1
        assert "Connection refused" in email.last_error or "Errno" in email.last_error

    # The mail server is back (locmem in tests).
    call_command("send_pending_emails", stdout=open(os.devnull, "w"))  # noqa: SIM115
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [["habitante@example.org"]]
    # Run again: nothing is sent twice.
    call_command("send_pending_emails", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sent_emails_are_purged_after_their_retention_period():
    from datetime import timedelta

    from django.utils import timezone

    old = OutgoingEmail.objects.create(to="a@example.org", subject="Ancien", body="…")
    OutgoingEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    recent = OutgoingEmail.objects.create(to="b@example.org", subject="Récent", body="…")
    call_command("purge_personal_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_home_page_is_the_only_root_of_the_french_site(home):
    assert HomePage.objects.filter(locale=home.locale).count() == 1
    assert Page.objects.get(pk=home.pk).get_parent().depth == 1


@pytest.mark.django_db
def test_administrators_read_the_email_queue_and_editors_do_not(home):
    email = OutgoingEmail.objects.create(to="habitant@example.org", subject="Réponse", body="…")
    factories.UserFactory(username="chef", is_superuser=True, is_staff=True)
    factories.UserFactory(username="redacteur", groups=[EDITORS])
    admin, editor = Client(), Client()
    admin.login(username="chef", password="correct horse battery")
    editor.login(username="redacteur", password="correct horse battery")

    assert "habitant@example.org" in admin.get("/admin/outgoing_emails/").text
    assert admin.get(f"/admin/outgoing_emails/inspect/{email.pk}/").status_code == 200
    assert admin.get(f"/admin/outgoing_emails/edit/{email.pk}/").status_code in {302, 403, 404}
    assert editor.get("/admin/outgoing_emails/").status_code in {302, 403}


# Security headers --------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_forbid_inline_scripts_and_framing(client, home):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_admin_has_its_own_policy_for_its_inline_scripts(client):
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy


@pytest.mark.django_db
def test_emails_queued_without_a_commune_name_sign_with_the_default_sites(home):
    from wagtail.models import Site

    from home.models import CommuneSettings

    settings = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    settings.commune_name = "Saint-Test"
    settings.save()
    email = OutgoingEmail.queue("a@example.org", "benevolat/emails/request_declined", {})
    assert email.body.rstrip().endswith("La commune de Saint-Test")
