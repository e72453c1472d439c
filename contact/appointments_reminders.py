"""Reminders of an appointment by e-mail, the day before (24 hours before) and one hour
before, through RQ's scheduler (the worker runs with --with-scheduler: runstack, site/).

Each reminder is one scheduled job with a fixed id (appointment and kind), so moving an
appointment replaces its jobs and cancelling it removes them. Redis holds only the
appointment's id and its sequence. The job sends once: it marks the appointment with a
conditional update first, so a second run of the same job (a retry, a worker that died
after sending) finds it done; and it sends nothing for an appointment that has changed
since it was scheduled (its SEQUENCE moved on) or is no longer booked.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.notifications import send_templated_email
from media import queues

from .availability import PARIS
from .models import Appointment, AppointmentStatus

QUEUE = "default"
#: kind: (how long before the start, the field that marks it sent)
REMINDERS = {
    "day": (datetime.timedelta(hours=24), "reminded_day_at"),
    "hour": (datetime.timedelta(hours=1), "reminded_hour_at"),
}


def job_id(appointment_id, kind):
    return f"appointment-{appointment_id}-reminder-{kind}"


def schedule(appointment, *, now=None):
    """(Re)schedule the reminders of `appointment` once the transaction commits; those
    already past are not sent."""
    transaction.on_commit(lambda: _schedule(appointment.pk, appointment.starts_at, appointment.sequence, now))


def unschedule(appointment):
    transaction.on_commit(lambda: _unschedule(appointment.pk))


def _schedule(appointment_id, starts_at, sequence, now):
    now = now or timezone.now()
    queue = queues.get_queue(QUEUE)
    _unschedule(appointment_id)
    for kind, (before, _field) in REMINDERS.items():
        when = starts_at - before
        if when > now:
            queue.enqueue_at(
                when,
                send_reminder,
                appointment_id,
                kind,
                sequence,
                job_id=job_id(appointment_id, kind),
                result_ttl=0,
            )


def unschedule_now(appointment_id):
    """Remove the reminders at once (an account being erased: no transaction to wait for)."""
    _unschedule(appointment_id)


def _unschedule(appointment_id):
    queue = queues.get_queue(QUEUE)
    for kind in REMINDERS:
        job = queue.fetch_job(job_id(appointment_id, kind))
        if job is not None:
            queue.scheduled_job_registry.remove(job, delete_job=True)


def scheduled(appointment_id):
    """{kind: when} of the reminders waiting in the scheduler (for tests and checks)."""
    registry = queues.get_queue(QUEUE).scheduled_job_registry
    found = {}
    for kind in REMINDERS:
        identifier = job_id(appointment_id, kind)
        if identifier in registry:
            found[kind] = registry.get_scheduled_time(identifier)
    return found


def send_reminder(appointment_id, kind, sequence):
    """The job: e-mail the seeker this reminder, once, if the appointment still is as it
    was when the reminder was scheduled."""
    _before, field = REMINDERS[kind]
    now = timezone.now()
    marked = Appointment.objects.filter(
        pk=appointment_id,
        sequence=sequence,
        status=AppointmentStatus.BOOKED,
        starts_at__gt=now,
        **{f"{field}__isnull": True},
    ).update(**{field: now})
    if not marked:
        return False
    appointment = Appointment.objects.select_related("seeker", "counsellor").get(pk=appointment_id)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE), timezone.override(PARIS):
        send_templated_email(
            appointment.seeker.email,
            subject_template="contact/appointments/email/reminder_subject.txt",
            body_template="contact/appointments/email/reminder_body.txt",
            context={
                "appointment": appointment,
                "kind": kind,
                "page_url": base + reverse("contact:appointment", args=[appointment.pk]),
                "join_url": base + reverse("contact:join", args=[appointment.pk]),
                "problem_url": base + reverse("contact:problem", args=[appointment.pk]),
                "cancel_url": base + reverse("contact:cancel", args=[appointment.pk]),
            },
        )
    return True
