"""What the coaching app holds about a seeker, in their export. Rows about them go with
their account (cascades); what they wrote as a counsellor keeps its seeker and loses
its author (SET_NULL)."""

from core import privacy

from .models import Assignment, Contact, FollowUp, Note, SeekerRequest


def export(user):
    return {
        "assignments": list(
            Assignment.objects.filter(seeker=user).values(
                "module__title", "due_date", "message", "created_at", "cancelled_at"
            )
        ),
        "follow_up": list(
            FollowUp.objects.filter(seeker=user).values("counsellor__email", "started_at", "ended_at")
        ),
        "contacts": list(
            Contact.objects.filter(seeker=user).values("channel", "happened_at", "outcome", "summary")
        ),
        "notes": list(Note.objects.filter(seeker=user).values("body", "created_at")),
        "requests": [
            {**row, "phone": row["phone"].as_e164 if row["phone"] else ""}
            for row in SeekerRequest.objects.filter(seeker=user).values(
                "kind", "message", "phone", "half_days", "created_at", "handled_at"
            )
        ],
    }


privacy.register("coaching", export=export)
