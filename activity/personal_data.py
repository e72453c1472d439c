from core import privacy

from .models import ActivityEntry


def export_activity(user):
    return [
        {
            "when": entry.created_at,
            "verb": entry.verb,
            "description": str(entry.label),
            "object": entry.target_label,
            "details": entry.data,
        }
        for entry in ActivityEntry.objects.for_seeker(user).order_by("created_at", "pk")
    ]


# Entries about the seeker cascade with the user row; entries the user wrote as a
# counsellor keep the seeker's history and lose only the author (SET_NULL).
privacy.register("activity", export=export_activity)
