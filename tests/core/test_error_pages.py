"""A refused CSRF check (403) and a malformed request (400) get Tremplin's own page, in
the visitor's language, saying what to do next (core.error_pages); scripts get JSON."""

import json

import pytest
from django.test import Client
from django.utils import translation

LOGIN = "/compte/connexion/"


def translated(message, language):
    with translation.override(language):
        return translation.gettext(message)


def csrf_refused(prefix="", **headers):
    client = Client(enforce_csrf_checks=True)
    return client.post(prefix + LOGIN, {"username": "a@exemple.test", "password": "x"}, **headers)


def too_many_fields(client, prefix=""):
    """More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django answers 400."""
    body = "&".join(f"f{n}=1" for n in range(10_001))
    return client.post(prefix + LOGIN, body, content_type="application/x-www-form-urlencoded")


@pytest.mark.django_db
@pytest.mark.parametrize("language, prefix", [("fr", ""), ("en", "/en")])
def test_a_refused_csrf_check_shows_tremplins_page_in_the_users_language(home_page, language, prefix):
    response = csrf_refused(prefix)
    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html  # Tremplin's base template
    assert translated("This form has expired", language) in html
    assert translated("Send the form again.", language) in html
    assert "CSRF" not in html  # Django's technical page says "CSRF verification failed"


@pytest.mark.django_db
def test_a_refused_csrf_check_answers_json_to_scripts(home_page):
    response = csrf_refused(HTTP_X_REQUESTED_WITH="fetch", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    message = json.loads(response.content)["errors"]["__all__"]
    assert message == translated(
        "This form has expired or your browser refused Tremplin's cookie. Reload the page, then send it again.",
        "fr",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language, prefix", [("fr", ""), ("en", "/en")])
def test_a_malformed_request_shows_tremplins_400_page_in_the_users_language(
    client, home_page, language, prefix
):
    response = too_many_fields(client, prefix)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html
    assert translated("Request not understood", language) in html
    assert translated("Back to the home page", language) in html


@pytest.mark.django_db
def test_the_400_page_knows_the_logged_in_user(client, home_page, seeker):
    client.force_login(seeker)
    html = too_many_fields(client).content.decode()
    assert translated("My account", "fr") in html  # the navigation of a logged-in person


@pytest.mark.django_db
def test_an_unknown_host_gets_the_400_page(client, home_page):
    response = client.get("/", HTTP_HOST="ailleurs.example")
    assert response.status_code == 400
    assert translated("Request not understood", "fr") in response.content.decode()
