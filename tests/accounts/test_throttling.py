import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import SeekerFactory

LOGIN = "/compte/connexion/"


def fail(client, email, address="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": "pas-le-bon"}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(client, seeker, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, seeker.email)
    response = client.post(LOGIN, {"username": seeker.email, "password": password}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_is_per_account_from_any_address(client, seeker, password):
    """Failures spread over many addresses still lock the account they target, once they
    reach the distributed-attack limit (tests/accounts/test_lockout_policy.py: not before)."""
    for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT):
        fail(client, seeker.email, address=f"10.0.1.{n}")
    response = client.post(LOGIN, {"username": seeker.email, "password": password}, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 429


@pytest.mark.django_db
def test_the_lock_is_per_address_across_accounts(client, password):
    """One address trying many accounts is stopped, also for an account it did not try."""
    victims = SeekerFactory.create_batch(settings.AXES_ADDRESS_FAILURE_LIMIT)
    for victim in victims:
        fail(client, victim.email, address="10.0.3.3")
    other = SeekerFactory()
    response = client.post(LOGIN, {"username": other.email, "password": password}, REMOTE_ADDR="10.0.3.3")
    assert response.status_code == 429
    # Someone else, elsewhere, is not affected.
    response = client.post(LOGIN, {"username": other.email, "password": password}, REMOTE_ADDR="10.0.4.4")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_count(client, seeker, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail(client, seeker.email)
    assert (
        client.post(
            LOGIN, {"username": seeker.email, "password": password}, REMOTE_ADDR="10.0.0.1"
        ).status_code
        == 302
    )
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        fail(client, seeker.email)
    assert (
        client.post(
            LOGIN, {"username": seeker.email, "password": password}, REMOTE_ADDR="10.0.0.1"
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_changing_the_case_of_the_address_does_not_dodge_the_lock(client, seeker, password):
    variants = [seeker.email.upper(), seeker.email.title(), seeker.email]
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, variants[n % len(variants)], address="10.0.5.1")
    response = client.post(LOGIN, {"username": seeker.email, "password": password}, REMOTE_ADDR="10.0.5.1")
    assert response.status_code == 429
    # Nor the distributed-attack count.
    for n in range(settings.AXES_ACCOUNT_FAILURE_LIMIT):
        fail(client, variants[n % len(variants)], address=f"10.0.7.{n}")
    response = client.post(LOGIN, {"username": seeker.email, "password": password}, REMOTE_ADDR="10.0.6.1")
    assert response.status_code == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_each_client_is_counted_by_its_own_address(client, password):
    """nginx appends the client's address to X-Forwarded-For; what the client wrote
    before it is ignored, and the proxy's own address is never counted."""
    victims = SeekerFactory.create_batch(settings.AXES_ADDRESS_FAILURE_LIMIT)
    for n, victim in enumerate(victims):
        # One attacker, spoofing a different X-Forwarded-For each time.
        client.post(
            LOGIN,
            {"username": victim.email, "password": "pas-le-bon"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.7",
        )
    other = SeekerFactory()
    blocked = client.post(
        LOGIN,
        {"username": other.email, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert blocked.status_code == 429
    # Another client behind the same proxy can still log in.
    allowed = client.post(
        LOGIN,
        {"username": other.email, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert allowed.status_code == 302
