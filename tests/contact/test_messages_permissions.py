"""Who may do what with messages: one matrix of roles × URLs of contact.views.messages,
plus the attachments served by core.private_media.

The policy (contact.permissions): a conversation is the seeker's and the counsellor's
who follows them now, nobody else's. Anonymous visitors are sent to log in; any other
user asking for a conversation, its "anything new?" URL, an attachment or the inbox
gets 404 (not 403: nothing tells them it exists), the team's manager and editors
included. Every seeker has their own "Mes messages"; every counsellor their own inbox.

Every refused request leaves the database exactly as it was and schedules nothing.
The world is the coaching matrix's (tests/coaching/test_permission_matrix.py), with a
conversation: a message from the seeker with a PDF, an answer from the counsellor.
"""

from urllib.parse import quote

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from contact import messages
from contact.models import Attachment, Conversation, Message
from tests.coaching.test_permission_matrix import ROLES, build_world, user_of
from tests.files import pdf_bytes

LOGIN = "login"
OK = 200
DONE = "done"  # 302 back to the page, and the message is stored
NOT_FOUND = 404
NOT_ALLOWED = 405
FORBIDDEN = 403

NOBODY_ELSE = (NOT_FOUND,) * 4  # other counsellor, manager, other manager, editor

# fmt: off
MATRIX = {
    # (view, method):               anonymous  seeker     other skr  counsellor other cns   manager    other mgr  editor
    ("my_messages", "get"):        (LOGIN,     OK,        OK,        NOT_FOUND, NOT_FOUND,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("my_messages", "post"):       (LOGIN,     DONE,      DONE,      NOT_FOUND, NOT_FOUND,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("my_messages_poll", "get"):   (LOGIN,     OK,        OK,        NOT_FOUND, NOT_FOUND,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("my_messages_poll", "post"):  (LOGIN,     NOT_ALLOWED, NOT_ALLOWED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("inbox", "get"):              (LOGIN,     NOT_FOUND, NOT_FOUND, OK,        OK,         NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("inbox", "post"):             (LOGIN,     NOT_FOUND, NOT_FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # Figures about the team's counsellors: their manager's.
    ("response_times", "get"):     (LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,  OK,        OK,        NOT_FOUND),
    ("response_times", "post"):    (LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,  NOT_ALLOWED, NOT_ALLOWED, NOT_FOUND),
    ("conversation", "get"):       (LOGIN,     NOT_FOUND, NOT_FOUND, OK,        *NOBODY_ELSE),
    ("conversation", "post"):      (LOGIN,     NOT_FOUND, NOT_FOUND, DONE,      *NOBODY_ELSE),
    ("conversation_poll", "get"):  (LOGIN,     NOT_FOUND, NOT_FOUND, OK,        *NOBODY_ELSE),
    ("conversation_poll", "post"): (LOGIN,     NOT_FOUND, NOT_FOUND, NOT_ALLOWED, *NOBODY_ELSE),
    # The seeker's attachment, through core.private_media (which answers 403 to anonymous visitors).
    ("attachment", "get"):         (FORBIDDEN, OK,        NOT_FOUND, OK,        *NOBODY_ELSE),
}
# fmt: on

assert all(len(row) == len(ROLES) for row in MATRIX.values())

CASES = [
    pytest.param(role, view, method, expected, id=f"{role}-{method.upper()}-{view}")
    for (view, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


def test_the_matrix_covers_every_message_url():
    from contact.urls import urlpatterns

    ours = {
        pattern.name for pattern in urlpatterns if pattern.callback.__module__ == "contact.views.messages"
    }
    assert ours == {view for view, _method in MATRIX} - {"attachment"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        messages.send(world.seeker, world.seeker, "Bonjour, voici mon CV.")
        upload = ContentFile(pdf_bytes(), name="document.pdf")
        world.message = messages.send(
            world.seeker, world.seeker, "", upload=upload, kind="pdf", file_name="CV de Karim.pdf"
        )
        messages.send(world.seeker, world.counsellor, "Merci, je le lis.")
        world.attachment = Attachment.objects.get()
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def module_private_root(tmp_path_factory):
    """The world's attachment is stored once for the module."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("private")
    with override_settings(PRIVATE_MEDIA_ROOT=str(root)):
        yield root


@pytest.fixture(autouse=True)
def private_root(module_private_root):
    """Overrides tests/contact/conftest.py: the module's folder, not one per test."""
    return module_private_root


def request_for(world, view):
    """(url, POST data, where a POST comes back to)."""
    seeker = world.seeker
    if view == "attachment":
        return world.attachment.file.url, {}, None
    if view == "my_messages":
        return reverse("contact:my_messages"), {"body": "Une question."}, reverse("contact:my_messages")
    if view in ("conversation", "conversation_poll"):
        page = reverse("contact:conversation", args=[seeker.pk])
        return reverse(f"contact:{view}", args=[seeker.pk]), {"body": "Une réponse."}, page
    return reverse(f"contact:{view}"), {}, None


def snapshot():
    return {
        "messages": list(
            Message.objects.order_by("pk").values_list("pk", "conversation_id", "author_id", "read_at")
        ),
        "conversations": list(
            Conversation.objects.order_by("pk").values_list("pk", "waiting_since", "last_message_at")
        ),
        "attachments": list(Attachment.objects.order_by("pk").values_list("pk", "file")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "view", "method", "expected"), CASES)
def test_permission_matrix(client, world, role, view, method, expected, django_capture_on_commit_callbacks):
    user = user_of(world, role)
    if user is not None:
        client.force_login(user)
    address, data, back = request_for(world, view)
    before = snapshot()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(address, data) if method == "post" else client.get(address)

    shown = f"{role} {method.upper()} {address} → {response.status_code}"
    if expected == LOGIN:
        assert response.status_code == 302, shown
        assert response.url == f"{reverse('accounts:login')}?{REDIRECT_FIELD_NAME}={quote(address)}", shown
    elif expected == DONE:
        assert response.status_code == 302, shown
        newest = Message.objects.latest("pk")
        assert response.url == f"{back}#message-{newest.pk}", shown
        assert newest.author == user and newest.conversation_id == (
            user.pk if view == "my_messages" else world.seeker.pk
        )
        return
    else:
        assert response.status_code == expected, shown

    if expected == OK:
        if view == "attachment":
            assert b"".join(response.streaming_content) == world.attachment.file.open("rb").read(), shown
        elif view == "conversation" or (view == "my_messages" and user == world.seeker):
            assert "Merci, je le lis." in response.content.decode(), shown
        return
    assert snapshot() == before, f"{shown}: the database changed"
    assert callbacks == [], f"{shown}: something was scheduled"


@pytest.mark.django_db
def test_another_seekers_page_shows_only_their_own_conversation(client, world):
    client.force_login(world.other_seeker)
    response = client.get(reverse("contact:my_messages"))
    assert "Merci, je le lis." not in response.content.decode()
    assert response.context["chat"] == []
