"""The e-mail about an unread message: scheduled with RQ's scheduler for
CONTACT_EMAIL_DELAY_MINUTES after the message, sent once per batch of unread messages,
not at all when they were read meanwhile, never twice, and never with the message's
text. The scheduled jobs are moved to their queue by RQ's own scheduler, with the
clock moved forward, and run by a real worker."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from rq.scheduler import RQScheduler

from contact.messages_jobs import notify_unread
from contact.models import Message

SECRET = "Mon numéro de sécurité sociale est le 1 85 05 78 006 084 36"


def release_due_jobs(queue):
    """What the workers' scheduler does every second: due jobs go to their queue."""
    scheduler = RQScheduler([queue.name], connection=queue.connection)
    scheduler.prepare_registries([queue.name])
    scheduler.enqueue_scheduled_jobs()


@pytest.fixture
def deliver(queues, run_jobs, django_capture_on_commit_callbacks):
    """Release the jobs due at `when`, run them, then the e-mails they queued."""

    def run(when):
        with time_machine.travel(when, tick=False):
            release_due_jobs(queues["default"])
            with django_capture_on_commit_callbacks(execute=True):
                run_jobs("default")
        run_jobs("default")

    return run


def post(client, user, url, body, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"body": body}).status_code == 302


@pytest.fixture
def start(settings):
    settings.CONTACT_EMAIL_DELAY_MINUTES = 10
    return timezone.now()


@pytest.mark.django_db
def test_one_email_for_a_batch_of_unread_messages_after_the_delay(
    client, seeker, counsellor, scheduled, deliver, start, django_capture_on_commit_callbacks
):
    post(client, seeker, "/mes-messages/", SECRET, django_capture_on_commit_callbacks)
    post(client, seeker, "/mes-messages/", "Et une autre question.", django_capture_on_commit_callbacks)
    first, second = Message.objects.order_by("pk")
    assert sorted(scheduled.get_job_ids()) == sorted(
        [f"contact-notify-{first.pk}", f"contact-notify-{second.pk}"]
    )
    when = scheduled.get_scheduled_time(f"contact-notify-{first.pk}")
    assert start + datetime.timedelta(minutes=10) - datetime.timedelta(seconds=5) <= when
    assert when <= timezone.now() + datetime.timedelta(minutes=10)

    deliver(start + datetime.timedelta(minutes=5))
    assert mail.outbox == []  # not due yet

    deliver(start + datetime.timedelta(minutes=11))
    assert len(mail.outbox) == 1  # both jobs ran: one e-mail for the two messages
    [email] = mail.outbox
    assert email.to == [counsellor.email]
    assert seeker.get_full_name() in email.subject
    assert f"http://testserver/portefeuille/demandeurs/{seeker.pk}/messages/" in email.body
    assert "2 messages" in email.body
    assert SECRET not in email.body and "sécurité" not in email.body and "question" not in email.body
    assert all(message.notified_at for message in Message.objects.all())
    assert scheduled.get_job_ids() == []


@pytest.mark.django_db
def test_no_email_when_the_message_was_read_meanwhile(
    client, seeker, counsellor, scheduled, deliver, start, django_capture_on_commit_callbacks
):
    post(
        client,
        counsellor,
        f"/portefeuille/demandeurs/{seeker.pk}/messages/",
        SECRET,
        django_capture_on_commit_callbacks,
    )
    client.force_login(seeker)
    client.get("/mes-messages/")
    deliver(start + datetime.timedelta(minutes=11))
    assert mail.outbox == []
    assert Message.objects.get().notified_at is None


@pytest.mark.django_db
def test_the_seeker_is_told_with_a_link_to_their_messages(
    client, seeker, counsellor, scheduled, deliver, start, django_capture_on_commit_callbacks
):
    post(
        client,
        counsellor,
        f"/portefeuille/demandeurs/{seeker.pk}/messages/",
        SECRET,
        django_capture_on_commit_callbacks,
    )
    deliver(start + datetime.timedelta(minutes=11))
    [email] = mail.outbox
    assert email.to == [seeker.email]
    assert email.subject == "Votre conseiller vous a envoyé un message"
    assert "http://testserver/mes-messages/" in email.body and SECRET not in email.body


@pytest.mark.django_db
def test_the_job_run_twice_sends_one_email(
    client, seeker, counsellor, queues, run_jobs, start, django_capture_on_commit_callbacks
):
    post(client, seeker, "/mes-messages/", SECRET, django_capture_on_commit_callbacks)
    message = Message.objects.get()
    later = start + datetime.timedelta(minutes=11)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_unread(message.pk, "https://tremplin.exemple", now=later) == 1
        assert notify_unread(message.pk, "https://tremplin.exemple", now=later) == 0
    run_jobs("default")
    assert len(mail.outbox) == 1
    # A later message is a new batch: one more e-mail.
    post(client, seeker, "/mes-messages/", "Encore une chose.", django_capture_on_commit_callbacks)
    newer = Message.objects.latest("pk")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_unread(newer.pk, "https://tremplin.exemple") == 1
        assert notify_unread(message.pk, "https://tremplin.exemple") == 0
    run_jobs("default")
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_seeker_without_counsellor_tells_nobody(
    client, other_seeker, run_jobs, queues, django_capture_on_commit_callbacks
):
    post(client, other_seeker, "/mes-messages/", SECRET, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notify_unread(Message.objects.get().pk)
    run_jobs("default")
    assert mail.outbox == []
