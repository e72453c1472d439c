"""Anonymous requests that send an e-mail (password reset, sign-up) are throttled per
target address and per client: a flood answers the same page but mails nobody, and the
counters never hold an address in clear."""

import uuid

import pytest
from django.test import Client

from core import throttle
from tests.factories import SeekerFactory
from tests.privacy_scan import redis_keys_holding

RESET = "/compte/mot-de-passe/"
SIGNUP = "/compte/inscription/"


@pytest.fixture
def limits(settings):
    settings.EMAIL_THROTTLE_PER_ADDRESS = 3
    settings.EMAIL_THROTTLE_PER_CLIENT = 5
    throttle.forget_all()
    yield settings
    throttle.forget_all()


def queued_mails(queues):
    return [job for job in queues["default"].jobs if job.func_name.endswith("deliver_email")]


@pytest.mark.django_db
def test_ten_reset_requests_for_one_address_mail_it_a_few_times_only(
    client, seeker, limits, queues, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(RESET, {"email": seeker.email}, REMOTE_ADDR=f"10.9.0.{n}") for n in range(10)
        ]
    assert {response["Location"] for response in responses} == {"/compte/mot-de-passe/envoye/"}
    assert len(queued_mails(queues)) == 3


@pytest.mark.django_db
def test_one_client_cannot_mail_many_addresses(client, limits, queues, django_capture_on_commit_callbacks):
    seekers = SeekerFactory.create_batch(8)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(RESET, {"email": seeker.email}, REMOTE_ADDR="10.9.1.1") for seeker in seekers
        ]
    assert {response["Location"] for response in responses} == {"/compte/mot-de-passe/envoye/"}
    assert len(queued_mails(queues)) == 5
    # Another client is not held back by the first one.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(RESET, {"email": seekers[-1].email}, REMOTE_ADDR="10.9.1.2")
    assert len(queued_mails(queues)) == 6


@pytest.mark.django_db
def test_sign_up_mails_are_throttled_the_same_way(
    client, seeker, limits, queues, django_capture_on_commit_callbacks
):
    data = {
        "first_name": "Karim",
        "last_name": "Benali",
        "email": seeker.email,
        "password1": "vers-un-nouvel-emploi-2026",
        "password2": "vers-un-nouvel-emploi-2026",
    }
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(SIGNUP, data, REMOTE_ADDR=f"10.9.2.{n}") for n in range(10)]
    assert len({response["Location"] for response in responses}) == 1
    assert len(queued_mails(queues)) == 3


@pytest.mark.django_db
def test_the_counters_hold_no_address_in_clear(client, limits, django_capture_on_commit_callbacks):
    seeker = SeekerFactory(email=f"compteur-{uuid.uuid4().hex[:12]}@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": seeker.email}, REMOTE_ADDR="10.9.3.3")
    assert redis_keys_holding(seeker.email) == []
    assert redis_keys_holding("10.9.3.3") == []
