"""Reminders (contact.appointments_reminders): two jobs in RQ's scheduled registry per
booked appointment, replaced when it moves, removed when it is cancelled or its account
erased; each sends one e-mail, once, and nothing for an appointment that changed."""

import datetime

import django_rq
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rq.job import Job

from contact import appointments
from contact import appointments_reminders as reminders
from core.privacy import delete_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler_registry(queues):
    registry = django_rq.get_queue("default").scheduled_job_registry
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)
    yield registry
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)


def later_slots(counsellor, hours=30):
    now = timezone.now()
    return [
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=hours)
    ]


def as_utc(moment):
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def test_booking_schedules_two_reminders_that_move_and_go_with_the_appointment(
    counsellor, seeker, agenda, scheduler_registry, django_capture_on_commit_callbacks
):
    first, second = later_slots(counsellor)[:2]
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointments.book(seeker, counsellor, first.starts_at, channel="visio", by=seeker)
    assert sorted(scheduler_registry.get_job_ids()) == [
        f"appointment-{booked.pk}-reminder-day",
        f"appointment-{booked.pk}-reminder-hour",
    ]
    assert {kind: as_utc(when) for kind, when in reminders.scheduled(booked.pk).items()} == {
        "day": as_utc(first.starts_at - datetime.timedelta(hours=24)),
        "hour": as_utc(first.starts_at - datetime.timedelta(hours=1)),
    }
    job = Job.fetch(f"appointment-{booked.pk}-reminder-hour", connection=scheduler_registry.connection)
    assert job.func_name == "contact.appointments_reminders.send_reminder"
    assert job.args == (booked.pk, "hour", 0)  # an id and a number: nothing personal in Redis

    with django_capture_on_commit_callbacks(execute=True):
        appointments.reschedule(booked, second.starts_at, by=seeker)
    assert as_utc(reminders.scheduled(booked.pk)["hour"]) == as_utc(
        second.starts_at - datetime.timedelta(hours=1)
    )
    assert len(scheduler_registry.get_job_ids()) == 2
    job = Job.fetch(f"appointment-{booked.pk}-reminder-day", connection=scheduler_registry.connection)
    assert job.args == (booked.pk, "day", 1)

    with django_capture_on_commit_callbacks(execute=True):
        appointments.cancel(booked, by=seeker)
    assert reminders.scheduled(booked.pk) == {}
    assert scheduler_registry.get_job_ids() == []


def test_a_reminder_already_past_is_not_scheduled(
    counsellor, seeker, agenda, scheduler_registry, django_capture_on_commit_callbacks
):
    now = timezone.now()
    soon = next(
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=2)
    )
    assert soon.starts_at < now + datetime.timedelta(hours=24)  # open every day from 8:00 to 20:00
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointments.book(seeker, counsellor, soon.starts_at, channel="phone", by=seeker)
    assert set(reminders.scheduled(booked.pk)) == {"hour"}


def test_the_reminder_job_sends_once(
    counsellor, seeker, agenda, scheduler_registry, run_jobs, django_capture_on_commit_callbacks
):
    slot = later_slots(counsellor)[0]
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointments.book(seeker, counsellor, slot.starts_at, channel="visio", by=seeker)
    run_jobs("default")
    mail.outbox.clear()  # the invitations
    job = Job.fetch(f"appointment-{booked.pk}-reminder-day", connection=scheduler_registry.connection)
    with django_capture_on_commit_callbacks(execute=True):
        assert job.perform() is True
        assert job.perform() is False  # run twice: sent once
    run_jobs("default")
    [message] = mail.outbox
    assert message.to == [seeker.email]
    assert "Rappel" in message.subject
    assert reverse("contact:problem", args=[booked.pk]) in message.body
    assert reverse("contact:join", args=[booked.pk]) in message.body
    booked.refresh_from_db()
    assert booked.reminded_day_at is not None and booked.reminded_hour_at is None


def test_a_reminder_for_a_moved_or_cancelled_appointment_sends_nothing(
    counsellor, seeker, agenda, run_jobs, django_capture_on_commit_callbacks
):
    first, second = later_slots(counsellor)[:2]
    booked = appointments.book(seeker, counsellor, first.starts_at, channel="visio", by=seeker)
    appointments.reschedule(booked, second.starts_at, by=seeker)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_reminder(booked.pk, "day", 0) is False  # scheduled before the move
        appointments.cancel(booked, by=seeker)
        assert reminders.send_reminder(booked.pk, "day", 2) is False
    mail.outbox.clear()
    run_jobs("default")
    assert not [m for m in mail.outbox if "Rappel" in m.subject]


def test_erasing_an_account_removes_its_reminders(
    counsellor, seeker, agenda, scheduler_registry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointments.book(
            seeker, counsellor, later_slots(counsellor)[0].starts_at, channel="visio", by=seeker
        )
    assert reminders.scheduled(booked.pk)
    delete_user(seeker)
    assert scheduler_registry.get_job_ids() == []
