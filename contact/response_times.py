"""How fast each counsellor of a team answers: the median time, in working hours
(contact.working_hours), between a seeker starting to wait and the counsellor's first
answer. Each answer records when the wait began (`Message.waited_since`), so a team's
figures over a period come from one query on an index, whatever the volume of messages.
"""

from collections import defaultdict
from dataclasses import dataclass

from .models import Message
from .working_hours import OpeningHours, median_hours


@dataclass(frozen=True)
class ResponseTime:
    counsellor: object
    answers: int
    #: Median first-response time in working hours (None without answers).
    median_hours: float | None


def for_counsellors(counsellors, *, since, until):
    """A ResponseTime per counsellor (in the given order) for the answers they sent
    between `since` and `until`: one query."""
    counsellors = list(counsellors)
    waits = defaultdict(list)
    rows = Message.objects.filter(
        author__in=[counsellor.pk for counsellor in counsellors],
        waited_since__isnull=False,
        created_at__gte=since,
        created_at__lt=until,
    ).values_list("author_id", "waited_since", "created_at")
    for author_id, asked, answered in rows:
        waits[author_id].append((asked, answered))
    hours = OpeningHours.from_settings()
    return [
        ResponseTime(counsellor, len(waits[counsellor.pk]), median_hours(waits[counsellor.pk], hours))
        for counsellor in counsellors
    ]
