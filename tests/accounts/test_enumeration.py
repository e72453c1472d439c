"""Nobody learns from Tremplin's answers whether an address has an account: sign-up and
password-reset requests answer the same page, report the same errors and do the same work
for an address in use and for a new one; only the owner of the address learns, by e-mail."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.accounts.test_signup_login import signup_data

SIGNUP = "/compte/inscription/"
RESET = "/compte/mot-de-passe/"


def without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_sign_up_with_an_address_in_use_answers_like_a_new_one(
    seeker, queues, run_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = Client().post(SIGNUP, signup_data(email=seeker.email.upper()), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        new = Client().post(SIGNUP, signup_data(), follow=True)

    assert taken.redirect_chain == new.redirect_chain
    assert without_csrf(taken.content.decode()) == without_csrf(new.content.decode())
    assert "Un compte utilise déjà" not in taken.content.decode()
    assert "_auth_user_id" not in taken.wsgi_request.session
    assert User.objects.filter(email__iexact=seeker.email).count() == 1
    assert not User.objects.get(email="karim.benali@exemple.test").is_active

    # The owner of the address learns it by e-mail, with a way to log in or reset.
    assert run_jobs("default") == 2
    (to_owner,) = [message for message in mail.outbox if message.to == [seeker.email]]
    assert "http://testserver/compte/connexion/" in to_owner.body
    assert "http://testserver/compte/mot-de-passe/" in to_owner.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"password2": "autre-chose-encore-2026"},
        {"password1": "12345678", "password2": "12345678"},
        {"first_name": ""},
    ],
)
def test_field_errors_are_the_same_whether_or_not_the_address_is_in_use(seeker, overrides):
    taken = Client().post(SIGNUP, signup_data(email=seeker.email, **overrides))
    new = Client().post(SIGNUP, signup_data(**overrides))
    assert taken.status_code == new.status_code == 200
    assert taken.context["form"].errors == new.context["form"].errors
    html = without_csrf(taken.content.decode()).replace(seeker.email, signup_data()["email"])
    assert html == without_csrf(new.content.decode())


@pytest.mark.django_db
def test_a_new_account_waits_for_its_activation_link(client, run_jobs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data())
    assert response["Location"] == "/compte/inscription/envoye/"
    user = User.objects.get()
    assert not user.is_active
    assert (
        client.post(
            "/compte/connexion/", {"username": user.email, "password": "vers-un-nouvel-emploi-2026"}
        ).status_code
        == 200
    )

    assert run_jobs("default") == 1
    (message,) = mail.outbox
    assert message.to == [user.email]
    link = re.search(r"http://testserver(/compte/activer/\S+/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert response.redirect_chain[-1][0] == "/mon-parcours/"
    assert response.context["user"] == user
    user.refresh_from_db()
    assert user.is_active

    # The link works once.
    client.post("/compte/deconnexion/")
    response = Client().get(link)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session


def reset_request(address, capture):
    """The queries and the jobs of one reset request."""
    with CaptureQueriesContext(connection) as queries, capture(execute=True) as callbacks:
        response = Client().post(RESET, {"email": address})
    assert response["Location"] == "/compte/mot-de-passe/envoye/"
    # Literals (the address, times, ids) aside, the same statements in the same order.
    return [re.sub(r"'[^']*'|\d+", "?", query["sql"]) for query in queries], len(callbacks)


@pytest.mark.django_db
def test_a_reset_request_does_the_same_work_for_a_known_and_an_unknown_address(
    seeker, queues, django_capture_on_commit_callbacks
):
    known = reset_request(seeker.email, django_capture_on_commit_callbacks)
    known_jobs = [job.func_name for job in queues["default"].jobs]
    queues["default"].empty()
    unknown = reset_request("personne@nulle-part.test", django_capture_on_commit_callbacks)
    unknown_jobs = [job.func_name for job in queues["default"].jobs]

    assert known == unknown
    assert known_jobs == unknown_jobs
    assert len(known_jobs) == 1
