"""The Wagtail admin's home: no avatar fetched from another site (Gravatar, which the
admin's CSP blocks and which would learn who uses the admin), and wagtailmedia's summary
("Media files") in French."""

import re

import pytest
from django.test import override_settings

from tests.factories import EditorFactory


@pytest.fixture
def editor_client(client, home_page):
    client.force_login(EditorFactory(email="editrice@exemple.test"))
    return client


@pytest.mark.django_db
def test_the_admin_home_shows_no_external_avatar(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
    images = re.findall(r'<img[^>]+src="([^"]*)"', html)
    assert not [src for src in images if src.startswith(("http:", "https:", "//"))]


@pytest.mark.django_db
def test_an_avatar_provider_is_used_only_when_set(editor_client):
    with override_settings(WAGTAIL_GRAVATAR_PROVIDER_URL="https://avatars.exemple.test/avatar"):
        html = editor_client.get("/admin/").content.decode()
    assert "avatars.exemple.test/avatar" in html


@pytest.mark.django_db
def test_the_media_summary_on_the_admin_home_is_in_french(editor_client):
    html = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Media file" not in html
    assert "Fichiers média" in html or "Fichier média" in html
