"""Calendar invitations (contact.invitations), parsed back with `icalendar`: REQUEST with
a stable UID, SEQUENCE raised on every change, CANCEL with STATUS:CANCELLED, Paris time
with its VTIMEZONE; sent through the one e-mail path; the counsellor's secret feed."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from contact import appointments
from contact.availability import PARIS
from contact.models import OpeningHours

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
FRIDAY_MARCH = datetime.datetime(2027, 3, 26, 10, 0, tzinfo=UTC)
MONDAY_NINE = datetime.datetime(2027, 3, 29, 7, 0, tzinfo=UTC)  # 9:00 in Paris (summer time)
TUESDAY_TEN = datetime.datetime(2027, 3, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def mornings(counsellor):
    agenda = appointments.agenda_of(counsellor)
    for weekday in range(5):
        OpeningHours.objects.create(
            agenda=agenda, weekday=weekday, starts=datetime.time(9), ends=datetime.time(12)
        )
    return agenda


def delivered(run_jobs):
    """Run the e-mail jobs; {recipient: parsed calendar} of what was sent, outbox emptied."""
    run_jobs("default")
    sent = {}
    for message in mail.outbox:
        [part] = message.attachments
        assert part.get_content_type() == "text/calendar" and part.get_filename().endswith(".ics")
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        # Mail applications read the method from the Content-Type to offer "accept".
        assert part.get_param("method") == calendar["METHOD"]
        sent[message.to[0]] = (message, calendar)
    mail.outbox.clear()
    return sent


def event_of(calendar):
    [event] = calendar.walk("VEVENT")
    return event


def test_booking_moving_and_cancelling_send_one_event_that_changes(
    counsellor, seeker, mornings, run_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointments.book(
            seeker, counsellor, MONDAY_NINE, channel="visio", by=seeker, now=FRIDAY_MARCH
        )
    sent = delivered(run_jobs)
    assert set(sent) == {seeker.email, counsellor.email}
    message, calendar = sent[seeker.email]
    assert calendar["METHOD"] == "REQUEST"
    event = event_of(calendar)
    assert str(event["UID"]) == booked.uid
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start == MONDAY_NINE and (start.hour, str(start.tzinfo)) == (9, "Europe/Paris")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Paris"
    join = reverse("contact:join", args=[booked.pk])
    assert join in str(event["DESCRIPTION"]) and join in str(event["LOCATION"])
    assert str(event["ORGANIZER"]) == f"mailto:{counsellor.email}"
    assert {str(a) for a in event["ATTENDEE"]} == {f"mailto:{seeker.email}", f"mailto:{counsellor.email}"}
    assert "lundi 29 mars" in message.subject.lower()
    raw = message.message().as_bytes()  # what goes to the mail server
    assert b"Content-Type: text/calendar" in raw and b'method="REQUEST"' in raw
    assert reverse("contact:problem", args=[booked.pk]) in message.body
    assert reverse("contact:cancel", args=[booked.pk]) in message.body

    with django_capture_on_commit_callbacks(execute=True):
        appointments.reschedule(
            booked, TUESDAY_TEN, by=counsellor, reason="Réunion d’équipe.", now=FRIDAY_MARCH
        )
    message, calendar = delivered(run_jobs)[seeker.email]
    event = event_of(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert (str(event["UID"]), event["SEQUENCE"]) == (booked.uid, 1)
    assert event.decoded("DTSTART").astimezone(PARIS).strftime("%d %H:%M") == "30 10:00"
    assert "Réunion d’équipe." in message.body

    with django_capture_on_commit_callbacks(execute=True):
        appointments.cancel(booked, by=counsellor, reason="Absente.", now=FRIDAY_MARCH)
    sent = delivered(run_jobs)
    assert set(sent) == {seeker.email, counsellor.email}
    calendar = sent[seeker.email][1]
    event = event_of(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert (str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (booked.uid, 2, "CANCELLED")


def test_an_invitation_overtaken_by_a_change_is_not_sent(
    counsellor, seeker, mornings, run_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointments.book(
            seeker, counsellor, MONDAY_NINE, channel="phone", by=seeker, now=FRIDAY_MARCH
        )
        appointments.reschedule(booked, TUESDAY_TEN, by=seeker, now=FRIDAY_MARCH)
    sent = delivered(run_jobs)
    # Two e-mails (the move), not four: the first invitation was out of date when its job ran.
    assert len(sent) == 2
    assert event_of(sent[seeker.email][1])["SEQUENCE"] == 1
    assert "LOCATION" not in event_of(sent[seeker.email][1])  # a phone call has no room


def test_the_seeker_downloads_the_invitation(client, counsellor, seeker, mornings, other_seeker):
    booked = appointments.book(
        seeker, counsellor, MONDAY_NINE, channel="in_person", by=seeker, now=FRIDAY_MARCH
    )
    client.force_login(seeker)
    url = reverse("contact:invitation", args=[booked.pk])
    assert f'href="{url}"' in client.get(reverse("contact:appointment", args=[booked.pk])).content.decode()
    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "REQUEST" and str(event_of(calendar)["UID"]) == booked.uid
    client.force_login(other_seeker)
    assert client.get(url).status_code == 404


def test_the_counsellor_feed_lives_at_a_revocable_secret_address(client, counsellor, seeker, mornings):
    booked = appointments.book(seeker, counsellor, MONDAY_NINE, channel="visio", by=seeker, now=FRIDAY_MARCH)
    client.force_login(counsellor)
    page = reverse("contact:opening_hours")
    assert "feed-url" not in client.get(page).content.decode()
    assert client.post(reverse("contact:renew_feed")).url == page
    secret = appointments.agenda_of(counsellor).feed_secret
    assert len(secret) >= 40
    url = reverse("contact:feed", args=[secret])
    assert f"http://testserver{url}" in client.get(page).content.decode()
    client.logout()  # a calendar application has no session
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [booked.uid]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    # A wrong secret, and the old one once renewed, find nothing.
    assert client.get(reverse("contact:feed", args=[secret[:-1] + "x"])).status_code == 404
    client.force_login(counsellor)
    client.post(reverse("contact:renew_feed"))
    client.logout()
    assert client.get(url).status_code == 404
    renewed = appointments.agenda_of(counsellor).feed_secret
    assert renewed != secret
    assert client.get(reverse("contact:feed", args=[renewed])).status_code == 200


def test_a_counsellor_without_a_feed_has_no_address_that_works(client, counsellor, mornings):
    assert appointments.agenda_of(counsellor).feed_secret == ""
    assert client.get("/agenda/flux/.ics").status_code == 404
