"""Free slots of a counsellor, from their weekly opening hours, their time off and what
is already booked: a pure function, no database.

Opening hours are wall-clock times in Europe/Paris ("Monday 9:00–12:00"): a 9:00 slot is
at 9:00 in Paris in winter and in summer, so 8:00 UTC in January and 7:00 UTC in July.
Each slot start is a wall-clock time made aware in the zone, then turned into UTC; a slot
lasts `slot_minutes` of real time. On the night clocks go forward (last Sunday of March)
the wall-clock times between 2:00 and 3:00 do not exist and give no slot; on the night
they go back (last Sunday of October) those times happen twice and the slot is the first
of them (summer time), so no slot is offered twice.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


@dataclass(frozen=True)
class WeeklyHours:
    """Open on `weekday` (0 is Monday) from `starts` to `ends` (wall-clock times)."""

    weekday: int
    starts: datetime.time
    ends: datetime.time


@dataclass(frozen=True, order=True)
class Slot:
    """A free slot, as aware UTC datetimes."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime

    def overlaps(self, starts_at, ends_at):
        return self.starts_at < ends_at and starts_at < self.ends_at


def wall_clock(day, time, tz=PARIS):
    """`day` at `time` in `tz` as an aware UTC datetime, or None when that wall-clock
    time does not exist (skipped when the clocks go forward). An ambiguous time (when
    the clocks go back) is its first occurrence."""
    local = datetime.datetime.combine(day, time, tzinfo=tz)
    in_utc = local.astimezone(UTC)
    if in_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return in_utc


def free_slots(hours, *, slot_minutes, busy=(), start, weeks, now=None, tz=PARIS):
    """The free slots from the day `start` for `weeks` weeks, in time order.

    `hours` is an iterable of WeeklyHours; `busy` of (starts_at, ends_at) aware periods
    that no slot may overlap (time off, booked appointments); slots starting before `now`
    are left out. Every datetime returned is in UTC.
    """
    length = datetime.timedelta(minutes=slot_minutes)
    by_weekday = {}
    for opening in hours:
        by_weekday.setdefault(opening.weekday, []).append(opening)
    busy = sorted((a.astimezone(UTC), b.astimezone(UTC)) for a, b in busy)
    slots = []
    for offset in range(weeks * 7):
        day = start + datetime.timedelta(days=offset)
        for opening in sorted(by_weekday.get(day.weekday(), ()), key=lambda o: o.starts):
            slots.extend(_slots_of(day, opening, length, tz))
    return [
        slot
        for slot in sorted(set(slots))
        if (now is None or slot.starts_at >= now) and not any(slot.overlaps(a, b) for a, b in busy)
    ]


def _slots_of(day, opening, length, tz):
    closing = wall_clock(day, opening.ends, tz) or _after_gap(day, opening.ends, tz)
    step = datetime.datetime.combine(day, opening.starts)
    while step.time() < opening.ends and step.date() == day:
        starts_at = wall_clock(day, step.time(), tz)
        if starts_at is not None and starts_at + length <= closing:
            yield Slot(starts_at, starts_at + length)
        step += length


def _after_gap(day, time, tz):
    """A closing time that falls in the skipped hour: read with the summer offset, which
    puts it before the gap (never a slot past closing)."""
    return datetime.datetime.combine(day, time, tzinfo=tz).replace(fold=1).astimezone(UTC)
