import re
import uuid

import pytest
from django.core import mail

from accounts.models import User
from core.models import OutgoingEmail
from tests.factories import SeekerFactory
from tests.privacy_scan import redis_keys_holding


@pytest.mark.django_db
def test_password_reset_email_is_sent_by_a_job_and_its_link_works(
    client, seeker, run_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/mot-de-passe/", {"email": seeker.email})
    assert response["Location"] == "/compte/mot-de-passe/envoye/"
    assert mail.outbox == []  # not sent in the request...

    assert run_jobs("default") == 1  # ...but by the worker
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [seeker.email]
    assert "mot de passe" in message.subject
    link = re.search(r"http://testserver(/compte/mot-de-passe/\S+/\S+/)", message.body).group(1)

    response = client.get(link, follow=True)
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    new_password = "un-tout-nouveau-secret-2026"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == "/compte/mot-de-passe/termine/"

    seeker.refresh_from_db()
    assert seeker.check_password(new_password)
    response = client.post("/compte/connexion/", {"username": seeker.email, "password": new_password})
    assert response.status_code == 302

    # A link works only once.
    assert client.get(link, follow=True).context["validlink"] is False


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, run_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/mot-de-passe/", {"email": "personne@nulle-part.test"})
    assert response["Location"] == "/compte/mot-de-passe/envoye/"
    # The same job as for a known address (see test_enumeration.py), which finds nobody.
    assert run_jobs("default") == 1
    assert mail.outbox == []
    assert not User.objects.exists()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_redis_never_holds_the_address_nor_the_reset_link(
    client, queues, run_jobs, django_capture_on_commit_callbacks
):
    seeker = SeekerFactory(email=f"reinitialisation-{uuid.uuid4().hex[:12]}@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/mot-de-passe/", {"email": seeker.email})
    assert redis_keys_holding(seeker.email) == []
    assert run_jobs("default") == 1
    link = re.search(r"(/compte/mot-de-passe/\S+/\S+/)", mail.outbox[0].body).group(1)
    assert redis_keys_holding(link) == []
    assert redis_keys_holding(seeker.email) == []
    assert not OutgoingEmail.objects.exists()  # dropped once sent
