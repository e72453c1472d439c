"""First-response times in working hours: the counting itself (nights, week-ends, a
daylight-saving change), and the manager's page of their team's medians."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from contact import messages
from contact.working_hours import OpeningHours
from tests.factories import CounsellorFactory, SeekerFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def hours(settings):
    settings.CONTACT_WORKING_HOURS = {
        "time_zone": "Europe/Paris",
        "days": [0, 1, 2, 3, 4],
        "start": "08:30",
        "end": "17:00",
    }
    return OpeningHours.from_settings()


@pytest.mark.parametrize(
    ("asked", "answered", "expected_hours"),
    [
        # Within a morning.
        (paris(2026, 6, 15, 9, 0), paris(2026, 6, 15, 11, 30), 2.5),
        # Asked in the evening, answered next morning: only the morning counts.
        (paris(2026, 6, 15, 20, 0), paris(2026, 6, 16, 9, 0), 0.5),
        # Friday 16:00 to Monday 9:30: one hour on Friday, one on Monday.
        (paris(2026, 6, 19, 16, 0), paris(2026, 6, 22, 9, 30), 2.0),
        # A Saturday message answered on Sunday: no working time.
        (paris(2026, 6, 20, 10, 0), paris(2026, 6, 21, 10, 0), 0.0),
        # Across the change to summer time (Sunday 29 March 2026): two full days.
        (paris(2026, 3, 27, 8, 30), paris(2026, 3, 30, 17, 0), 17.0),
        # Across the change to winter time (Sunday 25 October 2026).
        (paris(2026, 10, 23, 12, 0), paris(2026, 10, 26, 12, 0), 8.5),
    ],
)
def test_working_hours_between_two_times(hours, asked, answered, expected_hours):
    assert hours.seconds_between(asked, answered) / 3600 == expected_hours
    # The same instants written in UTC count the same.
    utc = datetime.UTC
    assert hours.seconds_between(asked.astimezone(utc), answered.astimezone(utc)) / 3600 == expected_hours


@pytest.mark.django_db
def test_the_manager_sees_each_counsellors_median_first_response_time(
    client, counsellor, manager, team, hours, time_machine
):
    colleague = CounsellorFactory(team=team, last_name="Zola")
    outsider = CounsellorFactory(last_name="Ailleurs")
    first, second, third = (SeekerFactory(counsellor=counsellor) for _ in range(3))
    theirs = SeekerFactory(counsellor=outsider)

    def exchange(seeker, author, asked, answered, *, again=None):
        time_machine.move_to(asked, tick=False)
        messages.send(seeker, seeker, "Une question.")
        if again:
            time_machine.move_to(again, tick=False)
            messages.send(seeker, seeker, "Vous avez vu ?")  # the wait began with the first one
        time_machine.move_to(answered, tick=False)
        messages.send(seeker, author, "Une réponse.")
        messages.send(seeker, author, "Et un complément.")  # not a first response

    exchange(first, counsellor, paris(2026, 6, 15, 9), paris(2026, 6, 15, 10))  # 1 h
    exchange(
        second, counsellor, paris(2026, 6, 15, 9), paris(2026, 6, 15, 12), again=paris(2026, 6, 15, 11)
    )  # 3 h
    exchange(third, counsellor, paris(2026, 6, 19, 16), paris(2026, 6, 22, 16))  # 8.5 h over the week-end
    exchange(theirs, outsider, paris(2026, 6, 15, 9), paris(2026, 6, 16, 9))

    time_machine.move_to(paris(2026, 6, 23, 9), tick=False)
    client.force_login(manager)
    response = client.get("/portefeuille/messages/delais/", {"jours": "30"})
    rows = {row.counsellor: row for row in response.context["rows"]}
    assert set(rows) == {counsellor, colleague}
    assert (rows[counsellor].answers, rows[counsellor].median_hours) == (3, 3.0)
    assert (rows[colleague].answers, rows[colleague].median_hours) == (0, None)
    cells = (
        BeautifulSoup(response.content.decode(), "html.parser")
        .find("th", string=counsellor.get_full_name())
        .find_parent("tr")
    )
    assert cells.find_all("td")[-1].get_text() == "3,0 heures ouvrées"

    # Seven days back: only the answer of 22 June.
    rows = {
        row.counsellor: row
        for row in client.get("/portefeuille/messages/delais/", {"jours": "7"}).context["rows"]
    }
    assert (rows[counsellor].answers, rows[counsellor].median_hours) == (1, 8.5)

    # The portfolio links to it, for managers only.
    assert 'href="/portefeuille/messages/delais/"' in client.get("/portefeuille/").content.decode()
    client.force_login(counsellor)
    assert 'href="/portefeuille/messages/delais/"' not in client.get("/portefeuille/").content.decode()
