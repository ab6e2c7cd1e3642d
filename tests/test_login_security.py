"""The admin's login resists password guessing, and its accounts have strong passwords."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest
from axes.models import AccessAttempt

from bénévolat.accounts import members_group
from tests.factories import UserFactory
from tests.factories import benevolat as bf

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery"
LIMIT = settings.AXES_FAILURE_LIMIT


def log_in(client, username, password, address="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def is_logged_in(client):
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def fail(client, username, times, address="192.0.2.10"):
    for _ in range(times):
        log_in(client, username, "not the password", address)


@pytest.fixture
def editor(db):
    return UserFactory(username="camille", is_superuser=True)


@pytest.fixture
def colleague(db):
    return UserFactory(username="dominique", is_superuser=True)


def test_a_wrong_password_shows_the_form_again_with_a_french_error(client, editor):
    response = log_in(client, "camille", "not the password")

    assert response.status_code == 200
    assert "ne correspondent à aucun utilisateur" in response.text
    assert not is_logged_in(client)


def test_guessing_one_account_from_many_addresses_locks_that_account(client, editor):
    for number in range(LIMIT - 1):
        log_in(client, "camille", "not the password", address=f"198.51.100.{number}")

    response = log_in(client, "camille", "still not it", address="198.51.100.200")

    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.text
    assert "30 minutes" in response.text
    # The right password, from yet another address, does not get in either.
    response = log_in(client, "camille", PASSWORD, address="203.0.113.7")
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_guessing_many_accounts_from_one_address_locks_that_address(client, editor, colleague):
    for number in range(LIMIT):
        log_in(client, f"someone{number}", "a guess", address="192.0.2.66")

    response = log_in(client, "camille", PASSWORD, address="192.0.2.66")

    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.text
    assert not is_logged_in(client)


def test_others_still_log_in_while_an_account_or_an_address_is_locked(client, editor, colleague):
    fail(client, "camille", LIMIT, address="192.0.2.66")

    response = log_in(client, "dominique", PASSWORD, address="203.0.113.7")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_lockout_ends_after_its_period(client, editor):
    fail(client, "camille", LIMIT)
    assert log_in(client, "camille", PASSWORD).status_code == 429

    # The lockout period passes.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(minutes=1)
    )

    assert log_in(client, "camille", PASSWORD).status_code == 302
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("password", "french_reason"),
    [
        ("loire49", "Ce mot de passe est trop court"),
        ("123456789012", "Ce mot de passe est entièrement numérique"),
        ("password1234", "Ce mot de passe est trop courant"),
    ],
)
def test_a_new_account_refuses_a_weak_password(client, editor, password, french_reason):
    client.force_login(editor)

    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "nouveau",
            "email": "nouveau@loire-authion.fr",
            "first_name": "Nouveau",
            "last_name": "Agent",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert french_reason in response.text
    assert not get_user_model().objects.filter(username="nouveau").exists()


def test_changing_ones_password_refuses_a_weak_one(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "password-old_password": PASSWORD,
            "password-new_password1": "azerty",
            "password-new_password2": "azerty",
        },
    )

    assert "Ce mot de passe est trop court" in response.text
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


@pytest.mark.parametrize(
    "username",
    ["camille\x00", "x" * 100_000, "<script>alert(1)</script>", "' OR 1=1 --"],
    ids=["nul-byte", "overlong", "script", "sql"],
)
def test_hostile_usernames_are_refused_like_wrong_passwords(client, editor, username):
    for _ in range(LIMIT + 1):
        response = log_in(client, username, "\x00" + PASSWORD)

    assert response.status_code in (200, 429)
    assert "<script>alert(1)</script>" not in response.text
    assert not is_logged_in(client)


def test_behind_the_reverse_proxy_each_visitor_is_counted_by_their_own_address(
    client, editor, colleague, settings
):
    settings.NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(LIMIT):
        client.post(
            LOGIN,
            {"username": f"someone{number}", "password": "a guess"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **proxy,
        )

    # The guesser stays locked out, even when forging another address in front...
    forged = client.post(
        LOGIN,
        {"username": "camille", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7",
        **proxy,
    )
    assert forged.status_code == 429
    # ...while a colleague behind the same proxy logs in.
    other = client.post(
        LOGIN,
        {"username": "dominique", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.50",
        **proxy,
    )
    assert other.status_code == 302


def test_an_association_account_refuses_a_weak_password_and_is_not_created(home):
    association = bf.association(home, slug="comite-andard")

    with pytest.raises(CommandError, match="trop court"):
        call_command(
            "create_association_account",
            "comite-andard",
            "claire",
            "c@example.org",
            password="azerty",
        )

    assert not get_user_model().objects.filter(username="claire").exists()
    group = members_group(association)
    assert group is None or not group.user_set.exists()
