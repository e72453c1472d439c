import datetime

import pytest

from contact import appointments
from contact.models import OpeningHours


def open_every_day(counsellor, starts=datetime.time(8), ends=datetime.time(20)):
    """Opening hours every day of the week (so tests find free slots whatever the day)."""
    agenda = appointments.agenda_of(counsellor)
    for weekday in range(7):
        OpeningHours.objects.create(agenda=agenda, weekday=weekday, starts=starts, ends=ends)
    return agenda


@pytest.fixture
def agenda(counsellor):
    return open_every_day(counsellor)
