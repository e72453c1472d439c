"""When each week of a course opens for a seeker.

A self-paced course opens week N 7×(N−1) days after the seeker enrolled; a course
run in sessions opens it 7×(N−1) days after the session's start date. Weeks open at
midnight in the site's time zone (settings.TIME_ZONE, Paris), whatever the server's
clock zone.
"""

import datetime

from django.utils import timezone


def week_opening(week_number, *, session_start=None, enrolled_at=None):
    """The aware datetime at which week `week_number` opens.

    `session_start` (a date) wins when given; otherwise the day the seeker enrolled
    (an aware datetime) counts. With neither (not enrolled), None: nothing is open.
    """
    zone = timezone.get_default_timezone()
    if session_start is not None:
        first_day = session_start
    elif enrolled_at is not None:
        first_day = enrolled_at.astimezone(zone).date()
    else:
        return None
    day = first_day + datetime.timedelta(days=7 * (max(week_number, 1) - 1))
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def is_open(opening, now):
    return opening is not None and now >= opening
