"""Time counted in working hours: how long a seeker waited for an answer, as the
service counts it (by default Europe/Paris, Monday to Friday, 8:30 to 17:00).

The opening hours come from settings.CONTACT_WORKING_HOURS. Each day's window is placed
in its time zone on that day, so a wait across a daylight-saving change counts the
hours that were really open.
"""

import datetime
import statistics
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

DEFAULT = {"time_zone": "Europe/Paris", "days": [0, 1, 2, 3, 4], "start": "08:30", "end": "17:00"}


@dataclass(frozen=True)
class OpeningHours:
    zone: ZoneInfo
    days: frozenset
    start: datetime.time
    end: datetime.time

    @classmethod
    def from_settings(cls):
        config = {**DEFAULT, **getattr(settings, "CONTACT_WORKING_HOURS", {})}
        return cls(
            ZoneInfo(config["time_zone"]),
            frozenset(config["days"]),
            datetime.time.fromisoformat(config["start"]),
            datetime.time.fromisoformat(config["end"]),
        )

    def seconds_between(self, start, end):
        """The working seconds between the aware datetimes `start` and `end`."""
        if end <= start:
            return 0
        total = 0
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            if day.weekday() in self.days:
                opens = datetime.datetime.combine(day, self.start, self.zone)
                closes = datetime.datetime.combine(day, self.end, self.zone)
                overlap = (min(closes, end) - max(opens, start)).total_seconds()
                total += max(overlap, 0)
            day += datetime.timedelta(days=1)
        return total


def median_hours(waits, hours=None):
    """The median of `waits` ((asked, answered) pairs) in working hours, or None."""
    if not waits:
        return None
    hours = hours or OpeningHours.from_settings()
    return statistics.median(hours.seconds_between(asked, answered) for asked, answered in waits) / 3600
