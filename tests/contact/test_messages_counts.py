"""Unread counts: the badge in the seeker's navigation (cached: most pages ask nothing of
the database for it) and the portfolio's "Messages" column and filter, read through
core.conversations in one query whatever the number of seekers."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contact import messages
from core import conversations
from tests.factories import SeekerFactory


def nav_item(response, label):
    nav = BeautifulSoup(response.content.decode(), "html.parser").find("nav", class_="main-nav")
    return next(link for link in nav.find_all("a") if link.get_text(" ", strip=True).startswith(label))


def message_queries(queries):
    return [query["sql"] for query in queries if "contact_message" in query["sql"]]


@pytest.mark.django_db
def test_the_seekers_navigation_shows_their_unread_messages(client, seeker, counsellor):
    messages.send(seeker, counsellor, "Bonjour")
    messages.send(seeker, counsellor, "Avez-vous vu mon message ?")
    client.force_login(seeker)
    link = nav_item(client.get("/mon-parcours/"), "Mes messages")
    assert link["href"] == "/mes-messages/"
    assert link.find(class_="badge").get_text(" ", strip=True) == "2 non lus"

    # Cached: the next pages do not count again.
    with CaptureQueriesContext(connection) as queries:
        client.get("/mon-parcours/")
    assert message_queries(queries.captured_queries) == []

    client.get("/mes-messages/")  # read
    assert nav_item(client.get("/mon-parcours/"), "Mes messages").find(class_="badge") is None
    # A new message shows at once.
    messages.send(seeker, counsellor, "Un troisième.")
    assert (
        nav_item(client.get("/mon-parcours/"), "Mes messages").find(class_="badge").get_text(" ", strip=True)
        == "1 non lu"
    )


@pytest.mark.django_db
def test_the_seekers_own_messages_are_not_unread_for_them(client, seeker):
    messages.send(seeker, seeker, "Bonjour")
    assert messages.unread_for_seeker(seeker.pk) == 0
    assert conversations.states_for([seeker.pk])[seeker.pk] == conversations.ConversationState(
        unread=1, waiting_since=messages.Message.objects.get().created_at
    )


def fill(counsellor, size):
    """`size` seekers, each with two unread messages; the last also answered."""
    seekers = [SeekerFactory(counsellor=counsellor, modality="guide") for _ in range(size)]
    for seeker in seekers:
        messages.send(seeker, seeker, "Bonjour")
        messages.send(seeker, seeker, "J’attends votre réponse.")
    messages.send(seekers[-1], counsellor, "Réponse.")
    return seekers


def row_of(html, seeker):
    link = BeautifulSoup(html, "html.parser").find("a", href=f"/portefeuille/demandeurs/{seeker.pk}/")
    return link.find_parent("tr")


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 20])
def test_the_portfolio_shows_unread_messages_in_a_fixed_number_of_queries(
    client, counsellor, size, django_assert_max_num_queries
):
    seekers = fill(counsellor, size)
    client.force_login(counsellor)
    client.get("/portefeuille/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portefeuille/")
    assert len(message_queries(queries.captured_queries)) == 1
    with django_assert_max_num_queries(16):
        client.get("/portefeuille/")
    html = response.content.decode()
    cell = row_of(html, seekers[0]).find_all("td")[-1]
    link = cell.find("a")
    assert link["href"] == f"/portefeuille/demandeurs/{seekers[0].pk}/messages/"
    assert link.get_text() == "2 non lus"


@pytest.mark.django_db
def test_the_unanswered_filter(client, counsellor):
    waiting, answered = fill(counsellor, 2)
    quiet = SeekerFactory(counsellor=counsellor)
    client.force_login(counsellor)
    client.get(f"/portefeuille/demandeurs/{answered.pk}/messages/")  # read, and answered
    rows = client.get("/portefeuille/", {"messages": "unanswered"}).context["rows"]
    assert [row.user for row in rows] == [waiting]
    html = client.get("/portefeuille/").content.decode()
    assert row_of(html, answered).find_all("td")[-1].get_text() == "—"
    assert row_of(html, quiet).find_all("td")[-1].get_text() == "—"


@pytest.mark.django_db
def test_a_managers_portfolio_has_no_messages_column(client, counsellor, manager):
    fill(counsellor, 1)
    client.force_login(manager)
    response = client.get("/portefeuille/")
    assert response.context["show_messages"] is False
    assert "Messages" not in [
        th.get_text() for th in BeautifulSoup(response.content.decode(), "html.parser").find_all("th")
    ]
