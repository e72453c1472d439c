"""The demo: Karim's answered conversation and two seekers waiting in the inbox."""

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from coaching import demo as coaching_demo
from contact import demo
from contact.models import Conversation, Message


@pytest.mark.django_db
def test_the_demo_counsellor_has_conversations_to_answer(client, home_page, queues, scheduled):
    for module in (accounts_demo, coaching_demo, demo, demo):  # the last run changes nothing
        module.seed(lambda *args: None)
    assert Message.objects.count() == 5
    assert scheduled.count == 0  # no e-mail for demo data
    karim = Conversation.objects.get(seeker__email="demandeur@tremplin.test")
    assert karim.waiting_since is not None  # his last question waits
    assert Message.objects.filter(conversation=karim, from_seeker=True, read_at__isnull=True).count() == 0

    client.force_login(User.objects.get(email="conseillere@tremplin.test"))
    inbox = client.get("/portefeuille/messages/").context["conversations"]
    assert [conversation.seeker.first_name for conversation in inbox] == ["Amina", "Julien", "Karim"]
