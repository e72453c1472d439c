from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import ActivityEntry

#: The actor of what Tremplin does by itself (a retention job): stored as no actor, so it
#: never counts as the seeker's own activity.
SYSTEM = object()


def record(seeker, verb, *, target=None, actor=None, when=None, **data):
    """Write one entry on `seeker`'s file.

    `actor` defaults to the seeker (they did it themselves); pass the counsellor or
    editor when someone else acted, `SYSTEM` when nobody did. `data` must be
    JSON-serialisable.
    """
    if actor is SYSTEM:
        actor = None
    elif actor is None:
        actor = seeker
    entry = ActivityEntry(
        seeker=seeker,
        actor=actor,
        verb=verb,
        data=data,
        created_at=when or timezone.now(),
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_label = str(target)[:255]
    entry.save()
    return entry


def last_activity(seeker):
    """When the seeker last did something themselves (None if never)."""
    entry = (
        ActivityEntry.objects.for_seeker(seeker)
        .by_seeker_themselves()
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return entry
