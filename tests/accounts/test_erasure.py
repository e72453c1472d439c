"""Deleting an account leaves nothing about the person behind: not in any table (the
security logs, the sessions, the e-mails waiting to go), not in Redis (the e-mail jobs,
queued, scheduled for a retry, finished or failed)."""

import smtplib
import uuid

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from accounts.models import User
from core.notifications import send_email
from tests.factories import SeekerFactory
from tests.privacy_scan import redis_keys_holding, table_columns_holding

LOGIN = "/compte/connexion/"


class RefusingBackend(EmailBackend):
    """A mail server that refuses the recipient, naming them in its answer."""

    def send_messages(self, messages):
        recipient = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({recipient: (550, f"5.1.1 <{recipient}>: unknown".encode())})


def retry_scheduled_now(queue):
    """Move the jobs waiting for a retry back into the queue, as the scheduler would."""
    registry = queue.scheduled_job_registry
    for job_id in registry.get_job_ids():
        job = queue.fetch_job(job_id)
        registry.remove(job)
        queue.enqueue_job(job)


@pytest.fixture
def address():
    """An address no other test uses, so that leftovers of other tests cannot hide or fake a leak."""
    return f"effacement-{uuid.uuid4().hex[:12]}@exemple.test"


@pytest.mark.django_db
def test_deleting_an_account_leaves_the_address_nowhere(
    address, password, queues, run_jobs, settings, django_capture_on_commit_callbacks
):
    seeker = SeekerFactory(email=address)
    browser = Client(HTTP_USER_AGENT="Firefox de test")
    # Security logs: a failed log-in, then a successful one, from the browser.
    browser.post(LOGIN, {"username": address.upper(), "password": "pas-le-bon"})
    assert browser.post(LOGIN, {"username": address, "password": password}).status_code == 302
    # Another session, on a phone.
    Client(HTTP_USER_AGENT="Téléphone").force_login(seeker)

    # A password reset, delivered (its job finished).
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/compte/mot-de-passe/", {"email": address})
    run_jobs("default")
    # An e-mail the server refuses every time (its job ends in the failed registry)...
    settings.EMAIL_BACKEND = "tests.accounts.test_erasure.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        send_email(address, "Votre parcours", f"Bonjour {address}")
    for _ in range(5):
        run_jobs("default")
        retry_scheduled_now(queues["default"])
    # ...one refused once (its job waits for a retry)...
    with django_capture_on_commit_callbacks(execute=True):
        send_email(address, "Un rappel", f"Bonjour {address}")
    run_jobs("default")
    assert queues["default"].scheduled_job_registry.count == 1
    # ...and one still queued.
    with django_capture_on_commit_callbacks(execute=True):
        send_email(address, "Une relecture", f"Bonjour {address}")
    assert queues["default"].count == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/compte/suppression/", {"password": password})
    assert response["Location"] == "/compte/supprime/"
    assert not User.objects.filter(pk=seeker.pk).exists()

    assert table_columns_holding(address) == []
    assert redis_keys_holding(address) == []
    assert redis_keys_holding(address.split("@")[0]) == []


@pytest.mark.django_db
def test_deletion_closes_every_session_of_the_person(password, other_seeker):
    seeker = SeekerFactory()
    phone, laptop, someone_else = Client(), Client(), Client()
    phone.force_login(seeker)
    laptop.force_login(seeker)
    someone_else.force_login(other_seeker)

    laptop.post("/compte/suppression/", {"password": password})

    assert phone.get("/mon-parcours/").status_code == 302  # sent to the log-in page
    assert someone_else.get("/mon-parcours/").status_code == 200
    logged_in = {session.get_decoded().get(SESSION_KEY) for session in Session.objects.all()}
    assert logged_in - {None} == {str(other_seeker.pk)}
