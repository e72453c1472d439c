"""Free slots from weekly opening hours (contact.availability), in Paris wall-clock time,
across the daylight-saving changes of 2027 (28 March and 31 October)."""

import datetime

from contact.availability import PARIS, Slot, WeeklyHours, free_slots

UTC = datetime.UTC
MONDAY_TO_FRIDAY_MORNINGS = [WeeklyHours(day, datetime.time(9), datetime.time(12)) for day in range(5)]


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def starts(slots):
    return [slot.starts_at for slot in slots]


def local(slots):
    return [slot.starts_at.astimezone(PARIS).strftime("%a %d %H:%M") for slot in slots]


def test_nine_oclock_is_nine_oclock_in_paris_on_both_sides_of_the_march_change():
    slots = free_slots(MONDAY_TO_FRIDAY_MORNINGS, slot_minutes=30, start=datetime.date(2027, 3, 26), weeks=1)
    friday = [slot for slot in slots if slot.starts_at.date() == datetime.date(2027, 3, 26)]
    monday = [slot for slot in slots if slot.starts_at.date() == datetime.date(2027, 3, 29)]
    # Winter time on Friday (UTC+1), summer time on Monday (UTC+2).
    assert starts(friday)[0] == utc(2027, 3, 26, 8, 0)
    assert starts(monday)[0] == utc(2027, 3, 29, 7, 0)
    assert local(friday)[0] == "Fri 26 09:00" and local(monday)[0] == "Mon 29 09:00"
    assert local(monday)[-1] == "Mon 29 11:30"
    # Five working days of six slots; nothing at the weekend.
    assert len(slots) == 30
    assert all(slot.ends_at - slot.starts_at == datetime.timedelta(minutes=30) for slot in slots)
    assert all(slot.starts_at.tzinfo is UTC for slot in slots)


def test_nine_oclock_is_nine_oclock_in_paris_on_both_sides_of_the_october_change():
    slots = free_slots(MONDAY_TO_FRIDAY_MORNINGS, slot_minutes=45, start=datetime.date(2027, 10, 29), weeks=1)
    assert starts(slots)[:4] == [
        utc(2027, 10, 29, 7, 0),  # Friday, summer time (UTC+2)
        utc(2027, 10, 29, 7, 45),
        utc(2027, 10, 29, 8, 30),
        utc(2027, 10, 29, 9, 15),  # 11:15–12:00, the last one that fits
    ]
    assert starts(slots)[4] == utc(2027, 11, 1, 8, 0)  # Monday, winter time (UTC+1)
    assert local(slots)[4] == "Mon 01 09:00"


def test_the_hour_that_does_not_exist_in_march_gives_no_slot():
    night = [WeeklyHours(6, datetime.time(1), datetime.time(4))]
    slots = free_slots(night, slot_minutes=30, start=datetime.date(2027, 3, 28), weeks=1)
    assert local(slots) == ["Sun 28 01:00", "Sun 28 01:30", "Sun 28 03:00", "Sun 28 03:30"]
    # Back to back in real time: 1:30 winter time ends when 3:00 summer time begins.
    assert starts(slots) == [
        utc(2027, 3, 28, 0, 0),
        utc(2027, 3, 28, 0, 30),
        utc(2027, 3, 28, 1, 0),
        utc(2027, 3, 28, 1, 30),
    ]
    assert slots[1].ends_at == slots[2].starts_at


def test_the_hour_that_happens_twice_in_october_is_offered_once():
    night = [WeeklyHours(6, datetime.time(1), datetime.time(4))]
    slots = free_slots(night, slot_minutes=30, start=datetime.date(2027, 10, 31), weeks=1)
    assert local(slots) == [
        "Sun 31 01:00",
        "Sun 31 01:30",
        "Sun 31 02:00",
        "Sun 31 02:30",
        "Sun 31 03:00",
        "Sun 31 03:30",
    ]
    # 2:00 and 2:30 are the first (summer time) ones; 3:00 is in winter time.
    assert starts(slots)[2:5] == [utc(2027, 10, 31, 0, 0), utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 2, 0)]
    assert len(set(starts(slots))) == 6


def test_time_off_booked_periods_and_the_past_are_not_free():
    hours = [
        WeeklyHours(0, datetime.time(9), datetime.time(12)),
        WeeklyHours(0, datetime.time(14), datetime.time(16, 30)),
    ]
    monday = datetime.date(2027, 3, 29)
    busy = [
        (utc(2027, 3, 29, 7, 30), utc(2027, 3, 29, 8, 0)),  # 9:30–10:00 booked
        (utc(2027, 3, 29, 12, 0), utc(2027, 3, 29, 13, 15)),  # off from 14:00 to 15:15
        (utc(2027, 4, 5, 0, 0), utc(2027, 4, 6, 0, 0)),  # the next Monday off (from 2:00 to 2:00)
    ]
    slots = free_slots(hours, slot_minutes=30, busy=busy, start=monday, weeks=2, now=utc(2027, 3, 29, 7, 10))
    assert local(slots) == [
        # 9:00 has started already; 9:30 is booked.
        "Mon 29 10:00",
        "Mon 29 10:30",
        "Mon 29 11:00",
        "Mon 29 11:30",
        # 14:00, 14:30 and 15:00 overlap the time off, which ends at 15:15.
        "Mon 29 15:30",
        "Mon 29 16:00",
        # Monday 5 April is off all day.
    ]


def test_a_slot_that_does_not_fit_before_closing_is_not_offered():
    hours = [WeeklyHours(2, datetime.time(9), datetime.time(10, 10))]
    slots = free_slots(hours, slot_minutes=30, start=datetime.date(2027, 3, 31), weeks=1)
    assert local(slots) == ["Wed 31 09:00", "Wed 31 09:30"]
    assert slots[0] == Slot(utc(2027, 3, 31, 7, 0), utc(2027, 3, 31, 7, 30))
