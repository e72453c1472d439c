"""Messages between a seeker and their counsellor: the page (without JavaScript: a form
that posts and comes back), the conversation's order and read marks, the text through
the one sanitiser, attachments checked by their content, and the history that follows
the seeker to their new counsellor."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from activity.models import ActivityEntry
from coaching import capacity
from contact.models import Attachment, Conversation, Message
from tests.factories import CounsellorFactory
from tests.files import EXE_BYTES, image_bytes, pdf_bytes
from tests.xss import corpus_payloads, executable_parts

MY_MESSAGES = "/mes-messages/"


def fr(message):
    with translation.override("fr"):
        return translation.gettext(message)


def conversation_url(seeker):
    return f"/portefeuille/demandeurs/{seeker.pk}/messages/"


def main_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser").find("main")


def chat_items(response):
    return main_of(response).select("#chat-messages > li")


def write(client, url, body, attachment=None):
    data = {"body": body}
    if attachment is not None:
        data["attachment"] = attachment
    return client.post(url, data)


@pytest.mark.django_db
def test_a_seeker_writes_and_their_counsellor_answers(client, seeker, counsellor):
    client.force_login(seeker)
    response = write(client, MY_MESSAGES, "Bonjour,\nj’ai une question sur mon CV.")
    message = Message.objects.get()
    assert response.status_code == 302 and response.url == f"{MY_MESSAGES}#message-{message.pk}"
    assert message.from_seeker and message.author == seeker
    assert message.body == "<p>Bonjour,<br>j’ai une question sur mon CV.</p>"

    client.force_login(counsellor)
    items = chat_items(client.get(conversation_url(seeker)))
    assert [item.find(class_="chat__body").get_text() for item in items] == [
        "Bonjour,j’ai une question sur mon CV."
    ]
    assert seeker.get_full_name() in items[0].find(class_="chat__author").get_text()
    write(client, conversation_url(seeker), "Bonjour, envoyez-le moi : https://exemple.test/cv")

    client.force_login(seeker)
    items = chat_items(client.get(MY_MESSAGES))
    # Oldest first, newest at the bottom; each with its author and time.
    assert [item.find(class_="chat__author").get_text() for item in items] == [
        fr("You"),
        counsellor.get_full_name(),
    ]
    assert all(item.find("time")["datetime"] for item in items)
    link = items[1].find("a")
    assert link["href"] == "https://exemple.test/cv" and link["rel"] == ["nofollow", "noopener"]
    assert list(ActivityEntry.objects.filter(verb="message.sent").values_list("actor", flat=True)) == [
        counsellor.pk,
        seeker.pk,
    ]


@pytest.mark.django_db
def test_opening_the_page_marks_the_other_sides_messages_read_and_the_sender_sees_it(
    client, seeker, counsellor
):
    client.force_login(seeker)
    write(client, MY_MESSAGES, "Une question.")
    read_mark = chat_items(client.get(MY_MESSAGES))[0].find(class_="chat__read")
    assert read_mark.has_attr("hidden")
    # The seeker opening their own page reads nothing of theirs.
    assert Message.objects.get().read_at is None

    client.force_login(counsellor)
    client.get(conversation_url(seeker))
    assert Message.objects.get().read_at is not None

    client.force_login(seeker)
    read_mark = chat_items(client.get(MY_MESSAGES))[0].find(class_="chat__read")
    assert not read_mark.has_attr("hidden") and read_mark.get_text() == fr("Read")


@pytest.mark.django_db
def test_an_empty_message_is_refused(client, seeker):
    client.force_login(seeker)
    response = write(client, MY_MESSAGES, "   ")
    assert response.status_code == 200 and not Message.objects.exists()
    assert (
        fr("Write a message or attach a document.")
        in main_of(response).find(class_="error-summary").get_text()
    )


@pytest.mark.django_db
def test_the_xss_corpus_is_stored_and_shown_inert(client, seeker, counsellor):
    payloads = corpus_payloads()
    assert len(payloads) > 50
    client.force_login(seeker)
    for start in range(0, len(payloads), 40):
        assert write(client, MY_MESSAGES, "\n\n".join(payloads[start : start + 40])).status_code == 302
    for message in Message.objects.all():
        stored = BeautifulSoup(message.body, "html.parser")
        assert executable_parts(stored, {"script", "iframe", "img", "svg", "object", "embed", "style"}) == []

    for user, url in ((seeker, MY_MESSAGES), (counsellor, conversation_url(seeker))):
        client.force_login(user)
        response = client.get(url)
        chat = main_of(response).find(id="chat-messages")
        assert (
            executable_parts(chat, {"script", "iframe", "img", "svg", "object", "embed", "style", "form"})
            == []
        )
        # Shown as typed: the text of a payload is still there, escaped.
        assert "<script>alert('xss');</script>" in chat.get_text().lower()


@pytest.mark.django_db
def test_after_a_reassignment_the_new_counsellor_reads_the_history_and_the_former_one_nothing(
    client, seeker, counsellor, team
):
    client.force_login(seeker)
    write(client, MY_MESSAGES, "Premier message.")
    client.force_login(counsellor)
    write(client, conversation_url(seeker), "Première réponse.")

    colleague = CounsellorFactory(email="collegue@exemple.test", team=team)
    profile = seeker.seeker_profile
    profile.counsellor = None
    profile.save(update_fields=["counsellor"])
    capacity.assign_counsellor(profile, colleague, actor=colleague)

    assert client.get(conversation_url(seeker)).status_code == 404
    assert client.post(conversation_url(seeker), {"body": "Encore moi."}).status_code == 404
    assert client.get(f"{conversation_url(seeker)}nouveaux/").status_code == 404
    client.force_login(colleague)
    items = chat_items(client.get(conversation_url(seeker)))
    assert [item.find(class_="chat__body").get_text() for item in items] == [
        "Premier message.",
        "Première réponse.",
    ]
    # The former counsellor's message keeps their name.
    assert counsellor.get_full_name() in items[1].find(class_="chat__author").get_text()
    assert Message.objects.count() == 2


# --- Attachments ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_attachment_is_checked_stored_privately_and_read_by_the_two_sides_only(
    client, seeker, counsellor, other_seeker, manager, private_root
):
    content = pdf_bytes()
    client.force_login(seeker)
    response = write(
        client,
        MY_MESSAGES,
        "Voici mon CV.",
        SimpleUploadedFile("Mon CV.pdf", content, "application/octet-stream"),
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert re.fullmatch(r"contact/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert (attachment.file_name, attachment.kind, attachment.size) == ("Mon CV.pdf", "pdf", len(content))
    url = attachment.file.url
    assert url.startswith("/fichiers/contact/")
    link = chat_items(client.get(MY_MESSAGES))[0].find("a", href=url)
    assert link.get_text() == "Mon CV.pdf"

    for user, expected in ((seeker, 200), (counsellor, 200), (other_seeker, 404), (manager, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user
        if expected == 200:
            assert b"".join(response.streaming_content) == content


@pytest.mark.django_db
def test_an_image_attachment_is_accepted(client, seeker):
    client.force_login(seeker)
    write(client, MY_MESSAGES, "", SimpleUploadedFile("photo.PNG", image_bytes("PNG"), "image/png"))
    assert Attachment.objects.get().kind == "png"
    assert Message.objects.get().body == ""


@pytest.mark.django_db
def test_a_renamed_program_is_refused_with_a_clear_message_and_the_typed_text_is_kept(
    client, seeker, private_root
):
    client.force_login(seeker)
    typed = "Voici mon CV, pouvez-vous le relire ?"
    response = write(client, MY_MESSAGES, typed, SimpleUploadedFile("CV.pdf", EXE_BYTES, "application/pdf"))
    assert response.status_code == 200
    assert not Message.objects.exists() and not Attachment.objects.exists()
    assert [path for path in private_root.rglob("*") if path.is_file()] == []
    main = main_of(response)
    summary = main.find(class_="error-summary").get_text(" ", strip=True)
    assert "n’est pas un document PDF, Word (DOCX), OpenDocument (ODT), JPEG ou PNG" in summary
    assert "Son contenu a été vérifié, pas son nom" in summary
    assert main.find("textarea", attrs={"name": "body"}).get_text().strip() == typed
    file_input = main.find("input", attrs={"name": "attachment"})
    assert file_input["aria-invalid"] == "true"


@pytest.mark.django_db
def test_an_oversized_attachment_is_refused(client, seeker, settings):
    settings.CONTACT_MAX_ATTACHMENT_BYTES = 1000
    client.force_login(seeker)
    response = write(
        client, MY_MESSAGES, "Trop gros.", SimpleUploadedFile("photo.png", image_bytes("PNG") + b"\0" * 2000)
    )
    assert response.status_code == 200 and not Message.objects.exists()
    assert "Trop gros." in main_of(response).find("textarea").get_text()


# --- The inbox ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_inbox_puts_the_seeker_waiting_longest_first(client, counsellor, time_machine):
    from tests.factories import SeekerFactory

    people = {
        name: SeekerFactory(counsellor=counsellor, last_name=name) for name in ("Ancien", "Récent", "Répondu")
    }
    other = SeekerFactory(last_name="Ailleurs", counsellor=CounsellorFactory())
    time_machine.move_to("2026-06-15 09:00 +02:00", tick=False)
    for name in ("Répondu", "Ancien"):
        client.force_login(people[name])
        write(client, MY_MESSAGES, "Bonjour")
    client.force_login(other)
    write(client, MY_MESSAGES, "Bonjour")
    time_machine.move_to("2026-06-15 11:00 +02:00", tick=False)
    client.force_login(people["Récent"])
    write(client, MY_MESSAGES, "Bonjour")
    client.force_login(people["Ancien"])
    write(client, MY_MESSAGES, "Vous êtes là ?")  # still waiting since 9:00
    client.force_login(counsellor)
    write(client, conversation_url(people["Répondu"]), "Bien sûr.")

    response = client.get("/portefeuille/messages/")
    conversations = response.context["conversations"]
    assert [c.seeker.last_name for c in conversations] == ["Ancien", "Récent", "Répondu"]
    assert [c.unread for c in conversations] == [2, 1, 0]
    assert "Ailleurs" not in response.content.decode()
    assert Conversation.objects.get(pk=people["Répondu"].pk).waiting_since is None


@pytest.mark.django_db
def test_long_conversations_show_the_last_fifty_and_older_ones_on_request(client, seeker, counsellor):
    from contact import messages

    for number in range(55):
        messages.send(seeker, seeker if number % 2 else counsellor, f"Message {number}")
    client.force_login(seeker)
    response = client.get(MY_MESSAGES)
    bodies = [item.find(class_="chat__body").get_text() for item in chat_items(response)]
    assert bodies == [f"Message {number}" for number in range(5, 55)]
    older = main_of(response).find("a", string=fr("Show older messages"))
    response = client.get(older["href"])
    assert [item.find(class_="chat__body").get_text() for item in chat_items(response)] == [
        f"Message {number}" for number in range(5)
    ]
    # A page of older messages is not updated: nothing new belongs at its bottom.
    assert not main_of(response).find(id="chat-messages").has_attr("data-poll-url")


@pytest.mark.django_db
def test_an_attachment_larger_than_an_ordinary_request_is_accepted(client, seeker, settings):
    """The page takes files up to CONTACT_MAX_ATTACHMENT_BYTES (core.request_limits),
    more than the 1 MiB of an ordinary form."""
    assert settings.REQUEST_MAX_BODY_BYTES < 2 * 1024 * 1024 < settings.CONTACT_MAX_ATTACHMENT_BYTES
    content = image_bytes("PNG") + b"\0" * (2 * 1024 * 1024)
    client.force_login(seeker)
    assert write(client, MY_MESSAGES, "", SimpleUploadedFile("grande.png", content)).status_code == 302
    assert Attachment.objects.get().size == len(content)
    settings.CONTACT_MAX_ATTACHMENT_BYTES = 1024 * 1024
    assert write(client, MY_MESSAGES, "", SimpleUploadedFile("grande.png", content)).status_code == 413


@pytest.mark.django_db
def test_the_seeker_page_links_to_the_conversation_and_the_timeline_names_the_message(
    client, seeker, counsellor, manager
):
    client.force_login(seeker)
    write(client, MY_MESSAGES, "Bonjour")
    client.force_login(counsellor)
    main = main_of(client.get(f"/portefeuille/demandeurs/{seeker.pk}/"))
    link = main.find("a", href=conversation_url(seeker))
    assert link.get_text(" ", strip=True) == "Messages 1 non lu"
    assert "Message du " in main.find(id="timeline").get_text()
    client.force_login(manager)
    assert not main_of(client.get(f"/portefeuille/demandeurs/{seeker.pk}/")).find(
        "a", href=conversation_url(seeker)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 30])
def test_the_page_query_count_does_not_grow_with_the_conversation(
    client, seeker, counsellor, size, django_assert_max_num_queries
):
    from django.core.files.base import ContentFile

    from contact import messages

    for number in range(size):
        upload = ContentFile(image_bytes("PNG"), name="document.png")
        messages.send(
            seeker, seeker, f"Message {number}", upload=upload, kind="png", file_name=f"{number}.png"
        )
        messages.send(seeker, counsellor, f"Réponse {number}")
    client.force_login(counsellor)
    client.get(conversation_url(seeker))
    # Session, user, the profile (permission), marking read (nothing left: one update
    # in a savepoint), the messages with their authors, their attachments, and the
    # navigation's two permission queries (may this counsellor enter the admin?).
    with django_assert_max_num_queries(10):
        response = client.get(conversation_url(seeker))
    assert len(chat_items(response)) == min(2 * size, 50)
    # Session, user, the conversation's row, the messages, their attachments, the
    # last read mark.
    with django_assert_max_num_queries(6):
        assert client.get(f"{conversation_url(seeker)}nouveaux/", {"apres": "0"}).status_code == 200


@pytest.mark.parametrize(
    ("minutes", "label"),
    [
        (0, "depuis 0 minute"),
        (59, "depuis 59 minutes"),
        (60, "depuis 1 heure"),
        (23 * 60 + 59, "depuis 23 heures"),
        (3 * 24 * 60, "depuis 3 jours"),
    ],
)
def test_the_inbox_says_how_long_a_seeker_has_waited_in_its_largest_unit(minutes, label):
    import datetime

    from django.utils import timezone, translation

    from contact import messages

    now = timezone.now()
    with translation.override("fr"):
        assert messages.waiting_label(now - datetime.timedelta(minutes=minutes), now) == label
        assert messages.waiting_label(None, now) == "répondu"
