"""Each role sees its own navigation and only the areas meant for it."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Role
from tests.factories import UserFactory

ADMIN_HOME = "/admin/"
PORTFOLIO = "/portefeuille/"
DASHBOARD = "/mon-parcours/"


def nav_urls(response):
    return [item["url"] for item in response.context["main_navigation"]]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (DASHBOARD, PORTFOLIO, "/compte/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/?next=")
    assert client.get(ADMIN_HOME)["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_a_seeker_sees_my_path_and_cannot_open_admin_or_counsellor_pages(client, seeker, home_page):
    client.force_login(seeker)
    response = client.get("/")
    assert DASHBOARD in nav_urls(response)
    assert PORTFOLIO not in nav_urls(response)
    assert ADMIN_HOME not in nav_urls(response)
    assert "Mon parcours" in response.content.decode()

    assert client.get(DASHBOARD).status_code == 200
    assert client.get(PORTFOLIO).status_code == 403
    response = client.get(ADMIN_HOME)
    assert response.status_code == 302  # Wagtail sends users without admin access to its login
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_a_counsellor_sees_my_portfolio_with_only_their_seekers(
    client, counsellor, seeker, other_seeker, home_page
):
    client.force_login(counsellor)
    response = client.get("/")
    assert nav_urls(response)[0] == PORTFOLIO
    assert DASHBOARD not in nav_urls(response)

    response = client.get(PORTFOLIO)
    assert response.status_code == 200
    listed = [row.user for row in response.context["rows"]]
    assert listed == [seeker]
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(ADMIN_HOME).status_code == 302


@pytest.mark.django_db
def test_a_manager_sees_the_portfolios_of_their_team(client, manager, counsellor, seeker, other_seeker):
    client.force_login(manager)
    listed = [row.user for row in client.get(PORTFOLIO).context["rows"]]
    assert listed == [seeker]


@pytest.mark.django_db
def test_an_editor_gets_the_admin_link_and_the_wagtail_admin(client, editor, home_page):
    assert editor.groups.filter(name="Editors").exists()
    client.force_login(editor)
    response = client.get("/")
    assert ADMIN_HOME in nav_urls(response)
    assert client.get(ADMIN_HOME).status_code == 200
    assert client.get(PORTFOLIO).status_code == 403
    assert client.get(DASHBOARD).status_code == 403


@pytest.mark.django_db
def test_changing_a_role_moves_the_admin_access_with_it(editor):
    editor.role = Role.SEEKER
    editor.save()
    assert not editor.groups.filter(name="Editors").exists()
    assert hasattr(editor, "seeker_profile")


@pytest.mark.django_db
def test_an_administrator_is_a_wagtail_superuser(client):
    admin = UserFactory(role=Role.ADMIN)
    admin.refresh_from_db()
    assert admin.is_superuser and admin.is_staff
    client.force_login(admin)
    assert client.get("/admin/users/").status_code == 200


@pytest.mark.django_db
def test_each_role_lands_on_its_own_home_after_log_in(client, seeker, counsellor, editor):
    expected = {seeker: DASHBOARD, counsellor: PORTFOLIO, editor: ADMIN_HOME}
    for user, url in expected.items():
        client.force_login(user)
        assert client.get("/compte/accueil/")["Location"] == url


@pytest.mark.django_db
def test_the_editors_group_exists_for_wagtail():
    assert Group.objects.filter(name="Editors").exists()


@pytest.mark.django_db
def test_the_navigation_links_follow_the_language_of_the_page(client, seeker, home_page):
    client.force_login(seeker)
    assert DASHBOARD in nav_urls(client.get("/"))
    english = nav_urls(client.get("/en/"))
    assert "/en" + DASHBOARD in english
    assert DASHBOARD not in english
    assert DASHBOARD in nav_urls(client.get("/"))


@pytest.mark.django_db
def test_a_role_change_moves_the_navigation_at_once(client, seeker, home_page):
    client.force_login(seeker)
    assert DASHBOARD in nav_urls(client.get("/"))
    seeker.role = Role.COUNSELLOR
    seeker.save()
    urls = nav_urls(client.get("/"))
    assert PORTFOLIO in urls
    assert DASHBOARD not in urls
