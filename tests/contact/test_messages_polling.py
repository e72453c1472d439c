"""The conversation page's "anything new?" URL: new messages as HTML fragments, read
marks, and 304 from the conversation's row while nothing changed."""

import pytest
from bs4 import BeautifulSoup

from contact.models import Message

MY_POLL = "/mes-messages/nouveaux/"


def their_poll(seeker):
    return f"/portefeuille/demandeurs/{seeker.pk}/messages/nouveaux/"


@pytest.mark.django_db
def test_nothing_new_costs_a_304_without_a_query(client, seeker, counsellor, django_assert_num_queries):
    client.force_login(seeker)
    client.post("/mes-messages/", {"body": "Bonjour"})
    first = client.get(MY_POLL, {"apres": "0"})
    assert first.status_code == 200
    etag = first["ETag"]
    assert [item["id"] for item in first.json()["messages"]] == [Message.objects.get().pk]

    # The session and the user, as on every page; the conversation's version is cached.
    with django_assert_num_queries(2):
        again = client.get(MY_POLL, {"apres": "0"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert "no-cache" in again["Cache-Control"]

    # The counsellor reads it: the seeker's next request is answered, with the read mark.
    client.force_login(counsellor)
    client.get(f"/portefeuille/demandeurs/{seeker.pk}/messages/")
    client.force_login(seeker)
    changed = client.get(MY_POLL, {"apres": str(Message.objects.get().pk)}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json() == {"messages": [], "read_through": Message.objects.get().pk}


@pytest.mark.django_db
def test_a_new_message_reaches_the_other_side_and_is_read_when_the_page_is_visible(
    client, seeker, counsellor
):
    client.force_login(counsellor)
    empty = client.get(their_poll(seeker), {"apres": "0"})
    assert empty.status_code == 200 and empty.json() == {"messages": [], "read_through": 0}
    etag = empty["ETag"]
    assert client.get(their_poll(seeker), headers={"If-None-Match": etag}).status_code == 304

    client.force_login(seeker)
    client.post("/mes-messages/", {"body": "Êtes-vous là ? <b>vite</b>"})
    message = Message.objects.get()

    client.force_login(counsellor)
    # A hidden page (no `lu`) gets the message without reading it.
    hidden = client.get(their_poll(seeker), {"apres": "0"}, headers={"If-None-Match": etag})
    assert hidden.status_code == 200
    [item] = hidden.json()["messages"]
    fragment = BeautifulSoup(item["html"], "html.parser").li
    assert fragment["id"] == f"message-{message.pk}"
    assert fragment.find(class_="chat__body").get_text() == "Êtes-vous là ? <b>vite</b>"
    assert not fragment.find("b")
    message.refresh_from_db()
    assert message.read_at is None

    visible = client.get(
        their_poll(seeker), {"apres": "0", "lu": "1"}, headers={"If-None-Match": hidden["ETag"]}
    )
    assert visible.status_code == 200
    message.refresh_from_db()
    assert message.read_at is not None
    # Nothing changed since the answer that read it: 304.
    assert (
        client.get(
            their_poll(seeker),
            {"apres": str(message.pk), "lu": "1"},
            headers={"If-None-Match": visible["ETag"]},
        ).status_code
        == 304
    )


@pytest.mark.django_db
def test_the_page_carries_what_the_script_needs(client, seeker):
    client.force_login(seeker)
    client.post("/mes-messages/", {"body": "Bonjour"})
    main = BeautifulSoup(client.get("/mes-messages/").content.decode(), "html.parser")
    chat = main.find(id="chat-messages")
    assert chat["data-poll-url"] == MY_POLL and chat["data-after"] == str(Message.objects.get().pk)
    assert chat["aria-live"] == "polite"
    assert main.find("script", src="/static/js/messages.js")["type"] == "module"


@pytest.mark.django_db
def test_the_counsellors_nothing_new_costs_no_query_either(
    client, seeker, counsellor, django_assert_num_queries
):
    client.force_login(counsellor)
    etag = client.get(their_poll(seeker), {"apres": "0"})["ETag"]
    with django_assert_num_queries(2):
        assert client.get(their_poll(seeker), headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.django_db
def test_a_former_counsellor_gets_404_at_once_even_with_the_etag(client, seeker, counsellor, team):
    from coaching import capacity
    from tests.factories import CounsellorFactory

    other_counsellor = CounsellorFactory(team=team)
    client.force_login(counsellor)
    etag = client.get(their_poll(seeker), {"apres": "0"})["ETag"]
    assert client.get(their_poll(seeker), headers={"If-None-Match": etag}).status_code == 304

    capacity.assign_counsellor(seeker.seeker_profile, other_counsellor, actor=other_counsellor)

    assert client.get(their_poll(seeker), headers={"If-None-Match": etag}).status_code == 404
    client.force_login(other_counsellor)
    assert client.get(their_poll(seeker), {"apres": "0"}).status_code == 200


@pytest.mark.django_db
def test_a_message_sent_while_the_cache_was_emptied_still_reaches_the_page(client, seeker, counsellor):
    """Eviction (or a restarted cache) must not turn a change into "nothing new": the
    version taken after it is a new token, not the one the page holds."""
    from django.core.cache import cache

    client.force_login(counsellor)
    etag = client.get(their_poll(seeker), {"apres": "0"})["ETag"]
    cache.clear()
    client.force_login(seeker)
    client.post("/mes-messages/", {"body": "Bonjour"})
    cache.clear()
    client.force_login(counsellor)
    answer = client.get(their_poll(seeker), {"apres": "0"}, headers={"If-None-Match": etag})
    assert answer.status_code == 200 and len(answer.json()["messages"]) == 1


@pytest.mark.django_db
def test_an_etag_is_good_for_the_user_it_was_given_to_only(client, seeker, counsellor, team):
    """The 304 skips the permission check: its ETag must not open it to anyone else."""
    from accounts.models import Role
    from tests.factories import CounsellorFactory

    client.force_login(seeker)
    seekers_etag = client.get(MY_POLL, {"apres": "0"})["ETag"]
    client.force_login(counsellor)
    counsellors_etag = client.get(their_poll(seeker), {"apres": "0"})["ETag"]
    assert counsellors_etag != seekers_etag

    outsider = CounsellorFactory(team=team)
    client.force_login(outsider)
    for etag in (seekers_etag, counsellors_etag):
        assert client.get(their_poll(seeker), headers={"If-None-Match": etag}).status_code == 404

    # A counsellor who is one no longer (the role is read with the user at each request).
    counsellor.role = Role.MANAGER
    counsellor.save()
    client.force_login(counsellor)
    assert client.get(their_poll(seeker), headers={"If-None-Match": counsellors_etag}).status_code == 404
