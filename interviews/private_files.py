"""Recordings of the mock interviews (the browser's file, its remuxed copy, the MP4
rendition, the poster), readable as their take is (interviews.permissions)."""

from django.db.models import Q

from core.private_media import register

from .models import Take
from .permissions import readable_takes


def can_read(user, name):
    """One query, on the indexed file columns; none for users who read no take."""
    names = Q()
    for field in Take.FILE_FIELDS:
        names |= Q(**{field: name})
    return readable_takes(user).filter(names).exists()


register("interviews", can_read)
