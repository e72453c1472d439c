"""Assigning modules to seekers, one or many at once, with an e-mail to each."""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from activity import log
from core.modules import module_page_models
from core.notifications import send_templated_email

from .models import Assignment


def assignable_modules():
    """Every live module page a counsellor can assign (MOOCs, e-ateliers, …), as plain
    `Page`s with what a choice needs (title, type): the assignment form lists them on
    every portfolio page, and loading each specific page cost a query per module type."""
    return (
        Page.objects.live()
        .type(*module_page_models())
        .only("id", "title", "content_type_id")
        .order_by("title")
    )


@dataclass
class AssignResult:
    created: list
    already: list  # seekers who already had this module assigned


def assign(module, seekers, *, by, due_date=None, message="", now=None, base_url="", notify=True):
    """Assign `module` (a specific module page) to each of `seekers` (Users).

    Seekers who already have it are left as they are. Each new assignee is enrolled
    where the module needs it (a MOOC), gets a line in their activity log and, unless
    `notify` is false (the demo seed), one e-mail, sent by an RQ job once the
    transaction commits.
    """
    now = now or timezone.now()
    with transaction.atomic():
        already_ids = set(
            Assignment.objects.active()
            .filter(module=module, seeker__in=seekers)
            .values_list("seeker_id", flat=True)
        )
        fresh = [seeker for seeker in seekers if seeker.pk not in already_ids]
        created = Assignment.objects.bulk_create(
            Assignment(
                seeker=seeker,
                module_id=module.pk,
                assigned_by=by,
                due_date=due_date,
                message=message,
                created_at=now,
            )
            for seeker in fresh
        )
        for seeker in fresh:
            module.on_assigned(seeker, actor=by, when=now)
            log.record(
                seeker,
                "assignment.created",
                target=module,
                actor=by,
                when=now,
                due_date=due_date.isoformat() if due_date else None,
            )
            if not notify:
                continue
            send_templated_email(
                seeker.email,
                subject_template="coaching/email/assignment_subject.txt",
                body_template="coaching/email/assignment_body.txt",
                context={
                    "seeker": seeker,
                    "counsellor": by,
                    "module": module,
                    "due_date": due_date,
                    "message": message,
                    "dashboard_url": base_url + reverse("coaching:dashboard"),
                },
            )
    return AssignResult(created=created, already=[seeker for seeker in seekers if seeker.pk in already_ids])


def cancel(assignment, *, by, now=None):
    now = now or timezone.now()
    assignment.cancelled_at = now
    assignment.save(update_fields=["cancelled_at"])
    log.record(assignment.seeker, "assignment.cancelled", target=assignment.module, actor=by, when=now)
