import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Modality, Role, User
from activity.models import ActivityEntry

SIGNUP = "/compte/inscription/"
LOGIN = "/compte/connexion/"


def signup_data(**overrides):
    data = {
        "first_name": "Karim",
        "last_name": "Benali",
        "email": "Karim.Benali@Exemple.test",
        "password1": "vers-un-nouvel-emploi-2026",
        "password2": "vers-un-nouvel-emploi-2026",
    }
    data.update(overrides)
    return data


def activation_link(outbox):
    (message,) = outbox
    return re.search(r"http://testserver(/compte/activer/\S+/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_a_seeker_signs_up_and_lands_on_their_path(client, run_jobs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(wants_web="on"), follow=True)
    assert response.redirect_chain[-1][0] == "/compte/inscription/envoye/"  # "check your e-mail"
    run_jobs("default")
    response = client.get(activation_link(mail.outbox), follow=True)

    assert response.redirect_chain[-1][0] == reverse("coaching:dashboard")
    user = User.objects.get()
    assert user.email == "karim.benali@exemple.test"  # stored lower-case
    assert user.role == Role.SEEKER
    assert user.seeker_profile.modality == Modality.SUIVI
    assert user.seeker_profile.web_volunteered_at is not None
    assert not user.seeker_profile.is_web  # a counsellor validates it later
    assert response.context["user"] == user
    assert list(ActivityEntry.objects.values_list("verb", flat=True).order_by("pk")) == [
        "account.created",
        "web.volunteered",
    ]


@pytest.mark.django_db
def test_signup_with_an_address_already_used_whatever_its_case_creates_no_second_account(
    client, seeker, django_capture_on_commit_callbacks
):
    """The page does not say that the address is in use (see test_enumeration.py): its
    owner is told by e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(email=seeker.email.upper()))
    assert response["Location"] == "/compte/inscription/envoye/"
    assert "Un compte utilise déjà cette adresse" not in client.get(response["Location"]).content.decode()
    assert User.objects.filter(email__iexact=seeker.email).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"password2": "autre-chose-encore-2026"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_bad_signup_input_is_refused_with_a_message_and_keeps_the_rest(client, overrides, field):
    response = client.post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert not User.objects.exists()
    html = response.content.decode()
    assert 'role="alert"' in html
    if field != "last_name":
        assert 'value="Benali"' in html  # what was typed is not lost


@pytest.mark.django_db
def test_log_in_with_email_in_any_case_then_log_out(client, seeker, password):
    response = client.post(LOGIN, {"username": seeker.email.upper(), "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.get(response["Location"])["Location"] == reverse("coaching:dashboard")
    assert client.get("/mon-parcours/").status_code == 200

    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert client.get("/mon-parcours/").status_code == 302  # back to the log-in page


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_french_message(client, seeker):
    response = client.post(LOGIN, {"username": seeker.email, "password": "pas-le-bon"})
    assert response.status_code == 200
    assert "Saisissez" in response.content.decode() or "correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logged_in_users_are_sent_home_from_signup_and_login(client, seeker):
    client.force_login(seeker)
    assert client.get(SIGNUP)["Location"] == reverse("accounts:home")
    assert client.get(LOGIN)["Location"] == reverse("accounts:home")


@pytest.mark.django_db
def test_logging_out_needs_a_post(client, seeker):
    client.force_login(seeker)
    assert client.get("/compte/deconnexion/").status_code == 405
    assert "_auth_user_id" in client.session
