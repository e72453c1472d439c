import pytest
from wagtail.models import Page

from core.models import HomePage


@pytest.mark.django_db
def test_home_page_is_served_in_french_at_the_root(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert home_page.intro in html
    assert 'href="#contenu"' in html  # skip link
    assert '<main id="contenu"' in html


@pytest.mark.django_db
def test_same_page_in_english_under_en(client, home_page):
    french = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert '<html lang="en">' in english
    assert "Aller au contenu" in french
    assert "Skip to main content" in english
    assert "Créer un compte" in french
    assert "Create an account" in english


@pytest.mark.django_db
def test_language_switcher_sends_the_visitor_to_the_english_url(client, home_page):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/compte/connexion/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/compte/connexion/"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


@pytest.mark.django_db
def test_home_page_is_unique_and_only_at_the_root(home_page):
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert not HomePage.can_create_at(home_page)
    # There is one already: Wagtail refuses a second one, even at the root.
    assert not HomePage.can_create_at(Page.get_first_root_node())


@pytest.mark.django_db
def test_public_pages_send_a_strict_content_security_policy(client, home_page):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_admin_gets_its_own_policy(client, editor):
    client.force_login(editor)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy
