"""The log-in lockout cannot be turned into a weapon against a job seeker.

Failures are counted per address and account, per address, and per account; only a
distributed attack (AXES_ACCOUNT_FAILURE_LIMIT failures from anywhere) locks an account
alone, and a password reset always gets its owner back in.
"""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import SeekerFactory

LOGIN = "/compte/connexion/"
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def addresses():
    """A fresh client address each time (a botnet)."""
    for n in itertools.count():
        yield f"198.18.{n // 250}.{n % 250 + 1}"


def attempt(client, email, password, address, *, proxied=False, **extra):
    """One log-in POST from `address`, directly or through one trusted proxy."""
    if proxied:
        # The client writes whatever it likes on the left; nginx appends the real peer.
        extra.update(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}")
    else:
        extra.update(REMOTE_ADDR=address)
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def reset_password(client, user, new_password):
    """Go through the e-mailed reset link for `user` and choose `new_password`."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = client.get(f"/compte/mot-de-passe/{uid}/{token}/", follow=True)
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == "/compte/mot-de-passe/termine/"
    return response


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize("proxied", [False, True], ids=["direct", "behind-proxy"])
@pytest.mark.parametrize(
    "failures_per_address",
    [1, "limit-1"],
    ids=["one-per-address", "just-under-the-limit-per-address"],
)
def test_failures_spread_over_addresses_do_not_lock_the_owner_out(
    client, seeker, password, proxied, failures_per_address
):
    """The reported attack (five wrong passwords from five addresses) and its bigger
    variants, up to just under the distributed-attack threshold, leave the owner free."""
    per_address = settings.AXES_FAILURE_LIMIT - 1 if failures_per_address == "limit-1" else 1
    source = addresses()
    sent = 0
    while sent < settings.AXES_ACCOUNT_FAILURE_LIMIT - 1:
        address = next(source)
        for _ in range(min(per_address, settings.AXES_ACCOUNT_FAILURE_LIMIT - 1 - sent)):
            attempt(client, seeker.email, "pas-le-bon", address, proxied=proxied)
            sent += 1
    response = attempt(client, seeker.email, password, "203.0.113.50", proxied=proxied)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(seeker.pk)


@pytest.mark.django_db
def test_the_attackers_address_is_locked_for_that_account_not_the_owner(client, seeker, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, seeker.email, "pas-le-bon", "192.0.2.66")
    # Even the right password is refused from the attacker's address...
    assert attempt(client, seeker.email, password, "192.0.2.66").status_code == 429
    # ...while the owner, from their own address, logs in.
    assert attempt(client, seeker.email, password, "203.0.113.50").status_code == 302


@pytest.mark.django_db
def test_a_distributed_attack_locks_the_account_from_every_address(client, seeker, password):
    source = addresses()
    for _ in range(settings.AXES_ACCOUNT_FAILURE_LIMIT):
        attempt(client, seeker.email, "pas-le-bon", next(source))
    response = attempt(client, seeker.email, password, "203.0.113.50")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logging_in_to_ones_own_account_does_not_reset_the_address_count(client, password):
    """A password sprayer cannot clear its address's count by logging in to an account of its own."""
    own = SeekerFactory()
    victims = SeekerFactory.create_batch(settings.AXES_ADDRESS_FAILURE_LIMIT)
    for victim in victims[:-1]:
        attempt(client, victim.email, "pas-le-bon", "192.0.2.77")
    assert attempt(client, own.email, password, "192.0.2.77").status_code == 302
    client.logout()
    assert attempt(client, victims[-1].email, "pas-le-bon", "192.0.2.77").status_code == 429
    assert attempt(client, own.email, password, "192.0.2.77").status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize("lock", ["account", "address-and-account"])
def test_a_password_reset_lifts_every_lock_on_the_account(client, seeker, lock):
    """The way out an attacker cannot block: the reset link logs the owner in and
    clears the account's failures, from every address."""
    if lock == "account":
        source = addresses()
        for _ in range(settings.AXES_ACCOUNT_FAILURE_LIMIT):
            attempt(client, seeker.email, "pas-le-bon", next(source))
    else:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, seeker.email, "pas-le-bon", "127.0.0.1")
    new_password = "un-tout-nouveau-secret-2026"
    assert attempt(client, seeker.email, "pas-le-bon", "127.0.0.1").status_code == 429

    reset_password(client, seeker, new_password)
    assert not AccessAttempt.objects.filter(username=seeker.email).exists()
    # The new password works at once, from the same address (in another browser)...
    elsewhere = Client()
    assert attempt(elsewhere, seeker.email, new_password, "127.0.0.1").status_code == 302
    # ...and the reset itself logged the owner in, whatever an attacker does meanwhile.
    assert client.session["_auth_user_id"] == str(seeker.pk)


@pytest.mark.django_db
def test_a_reset_clears_only_that_accounts_failures(client, seeker, other_seeker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, other_seeker.email, "pas-le-bon", "192.0.2.88")
    reset_password(client, seeker, "un-tout-nouveau-secret-2026")
    assert AccessAttempt.objects.filter(username=other_seeker.email).exists()


def lock_out(client, seeker, *, at):
    with time_machine.travel(at, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, seeker.email, "pas-le-bon", "192.0.2.99")


@pytest.mark.django_db
@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=30))
@pytest.mark.parametrize(
    ("prefix", "wording"),
    [("", "Réessayez dans 27 minutes"), ("/en", "Try again in 27 minutes")],
)
def test_the_lockout_page_tells_the_true_remaining_time(client, seeker, password, prefix, wording):
    lock_out(client, seeker, at=T0)
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        response = client.post(
            prefix + LOGIN, {"username": seeker.email, "password": password}, REMOTE_ADDR="192.0.2.99"
        )
    assert response.status_code == 429
    page = response.content.decode()
    assert wording in page
    assert response["Retry-After"] == str(27 * 60)
    # The 429 page is the site's own, accessible page, in the user's language.
    assert f'<html lang="{prefix.strip("/") or "fr"}">' in page
    assert "<h1>" in page
    assert seeker.email not in page
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=30))
def test_waiting_while_locked_does_not_push_the_end_further(client, seeker, password):
    """Trying the right password while locked neither lengthens the lock nor misstates it."""
    lock_out(client, seeker, at=T0)
    for minutes, left in [(10, "20 minutes"), (29, "une minute")]:
        with time_machine.travel(T0 + timedelta(minutes=minutes, seconds=30), tick=False):
            response = attempt(client, seeker.email, password, "192.0.2.99")
        assert response.status_code == 429
        assert f"dans {left}" in response.content.decode()
    with time_machine.travel(T0 + timedelta(minutes=30, seconds=1), tick=False):
        assert attempt(client, seeker.email, password, "192.0.2.99").status_code == 302


@pytest.mark.django_db
@override_settings(AXES_COOLOFF_TIME=timedelta(minutes=30))
@pytest.mark.parametrize(
    "headers",
    [{"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}, {"HTTP_ACCEPT": "application/json"}],
    ids=["xhr", "accept-json"],
)
def test_the_json_lockout_answer_tells_the_time_and_nothing_else(client, seeker, password, headers):
    lock_out(client, seeker, at=T0)
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        response = attempt(
            client, seeker.email, password, "192.0.2.99", HTTP_ORIGIN="https://evil.example", **headers
        )
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == str(27 * 60)
    assert not any(header.lower().startswith("access-control-") for header in response.headers)
    body = response.json()
    assert body["retry_after_seconds"] == 27 * 60
    assert "27 minutes" in body["detail"]
    assert seeker.email not in response.content.decode()
    assert "username" not in body


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize("proxied", [False, True], ids=["direct", "behind-proxy"])
def test_an_ipv6_network_counts_as_one_address(client, seeker, password, proxied):
    """One subscriber's /64 holds 2**64 addresses: rotating through them changes nothing."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, seeker.email, "pas-le-bon", f"2001:db8:1:2::{n + 1:x}", proxied=proxied)
    assert attempt(client, seeker.email, password, "2001:db8:1:2:ffff::1", proxied=proxied).status_code == 429
    assert attempt(client, seeker.email, password, "2001:db8:1:3::1", proxied=proxied).status_code == 302


@pytest.mark.django_db
def test_an_ipv4_mapped_address_counts_as_the_ipv4_address(client, seeker, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, seeker.email, "pas-le-bon", "::ffff:192.0.2.10")
    assert attempt(client, seeker.email, password, "192.0.2.10").status_code == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=2)
def test_a_forged_forwarded_address_that_is_not_an_address_falls_back_to_the_peer(client, seeker, password):
    """With one proxy too many configured, the client writes the counted entry: junk is not
    stored (it would break the database insert), the peer is counted instead."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            LOGIN,
            {"username": seeker.email, "password": "pas-le-bon"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="pas-une-adresse, 203.0.113.9",
        )
        assert response.status_code in (200, 429)
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_the_admin_log_in_follows_the_same_rules(client, editor, password):
    """Wagtail's log-in form is another door to the same accounts: same counts, same answer."""
    source = addresses()
    for _ in range(settings.AXES_ACCOUNT_FAILURE_LIMIT - 1):
        client.post(
            "/admin/login/", {"username": editor.email, "password": "pas-le-bon"}, REMOTE_ADDR=next(source)
        )
    response = client.post(
        "/admin/login/", {"username": editor.email, "password": password}, REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": editor.email, "password": "pas-le-bon"}, REMOTE_ADDR="192.0.2.6"
        )
    response = client.post(LOGIN, {"username": editor.email, "password": password}, REMOTE_ADDR="192.0.2.6")
    assert response.status_code == 429
    assert editor.email not in response.content.decode()
