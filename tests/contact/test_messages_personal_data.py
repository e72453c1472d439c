"""A seeker's messages are in their export; deleting their account deletes the
conversation and, once the deletion is committed, the attachments' files. A
counsellor's deletion keeps their messages in the seeker's conversation, without author."""

import pytest
from django.core.files.base import ContentFile

from contact import messages
from contact.models import Attachment, Conversation, Message
from core.privacy import delete_user, export_user_data
from tests.files import pdf_bytes


def attach(seeker):
    upload = ContentFile(pdf_bytes(), name="document.pdf")
    messages.send(seeker, seeker, "Mon CV.", upload=upload, kind="pdf", file_name="CV.pdf")
    return Attachment.objects.get().file.name


@pytest.mark.django_db
def test_the_export_holds_the_conversation(seeker, counsellor):
    attach(seeker)
    messages.send(seeker, counsellor, "Bien reçu.")
    exported = export_user_data(seeker)["contact"]
    assert [(item["from_seeker"], item["body"]) for item in exported["messages"]] == [
        (True, "<p>Mon CV.</p>"),
        (False, "<p>Bien reçu.</p>"),
    ]
    assert exported["attachments"][0]["file_name"] == "CV.pdf"


@pytest.mark.django_db
def test_deleting_the_seeker_deletes_the_files_after_the_commit(
    seeker, private_root, django_capture_on_commit_callbacks
):
    name = attach(seeker)
    storage = Attachment._meta.get_field("file").storage
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_user(seeker)
    assert not Conversation.objects.exists() and not Message.objects.exists()
    # Still there until the deletion is committed (a rolled back one keeps them).
    assert storage.exists(name)
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


@pytest.mark.django_db
def test_deleting_the_counsellor_keeps_their_messages_without_author(client, seeker, counsellor):
    messages.send(seeker, counsellor, "Bonjour.")
    delete_user(counsellor)
    message = Message.objects.get()
    assert message.author is None and not message.from_seeker
    client.force_login(seeker)
    item = client.get("/mes-messages/").content.decode()
    assert "Un conseiller" in item and "Bonjour." in item


@pytest.mark.django_db
def test_after_the_deletion_the_message_is_nowhere(
    client, seeker, counsellor, queues, scheduled, run_jobs, django_capture_on_commit_callbacks
):
    """Not in a table, not in Redis: the e-mail job holds the message's id only, and the
    e-mail it writes never quotes the message."""
    import uuid

    from contact.messages_jobs import notify_unread
    from tests.privacy_scan import redis_keys_holding, table_columns_holding

    secret = f"Mon code secret {uuid.uuid4().hex}"
    client.force_login(seeker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mes-messages/", {"body": secret})
    assert scheduled.count == 1
    with django_capture_on_commit_callbacks(execute=True):
        notify_unread(Message.objects.get().pk)
    run_jobs("default")
    assert table_columns_holding(secret) == ["contact_message.body"]
    assert redis_keys_holding(secret) == []

    with django_capture_on_commit_callbacks(execute=True):
        delete_user(seeker)
    assert table_columns_holding(secret) == []
    assert redis_keys_holding(secret) == []
