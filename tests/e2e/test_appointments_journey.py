"""Appointments in Chromium: the seeker books a slot of their counsellor and downloads
the invitation; the counsellor finds it in the agenda; on a visio appointment about to
start, the seeker presses "Problème technique" and a callback request reaches the
counsellor's seeker page; "Rejoindre" becomes active by itself when the room opens; the
counsellor's time off over booked appointments. axe-core runs on every page on the way."""

import datetime
import re
from pathlib import Path

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import SeekerRequest
from contact import appointments, visio
from contact.availability import PARIS
from contact.models import Appointment, OpeningHours
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in


@pytest.fixture
def open_agenda(counsellor):
    agenda = appointments.agenda_of(counsellor)
    for weekday in range(7):
        OpeningHours.objects.create(
            agenda=agenda, weekday=weekday, starts=datetime.time(8), ends=datetime.time(20)
        )
    return agenda


def test_booking_an_appointment_and_calling_for_help(
    page, home_page, counsellor, seeker, open_agenda, password
):
    log_in(page, seeker.email, password)
    page.goto("/rendez-vous/reserver/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prendre rendez-vous")
    assert_no_serious_axe_violations(page)
    now = timezone.now()
    slot = next(
        s
        for s in appointments.free_slots(counsellor, now=now)
        if s.starts_at > now + datetime.timedelta(hours=2)
    )
    page.locator(f"input[name='slot'][value='{slot.starts_at.isoformat()}']").check()
    page.get_by_role("button", name="Réserver ce créneau").click()
    expect(page.locator(".messages")).to_contain_text("Rendez-vous réservé")
    booked = Appointment.objects.get(seeker=seeker)
    assert booked.starts_at == slot.starts_at
    assert_no_serious_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Ajouter à mon agenda")).click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == booked.uid

    page.goto("/rendez-vous/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes rendez-vous")
    assert_no_serious_axe_violations(page)
    # The confirmation pages e-mails link to.
    for path, heading in (
        ("deplacer", "Déplacer le rendez-vous"),
        ("annuler", "Annuler le rendez-vous"),
        ("probleme", "Problème technique"),
    ):
        page.goto(f"/rendez-vous/{booked.pk}/{path}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_serious_axe_violations(page)

    # Something goes wrong with the camera a few minutes before another appointment.
    starts = timezone.now() + datetime.timedelta(minutes=5)
    soon = Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30),
        channel="visio",
        room=visio.provider().new_room(),
    )
    page.goto(f"/rendez-vous/{soon.pk}/")
    expect(page.get_by_role("link", name="Rejoindre")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Problème technique").click()
    expect(page.locator(".messages")).to_contain_text("va vous rappeler")
    asked = SeekerRequest.objects.get(seeker=seeker, kind="callback", handled_at=None)

    page.context.clear_cookies()
    log_in(page, counsellor.email, password)
    day = timezone.localtime(booked.starts_at, PARIS).date()
    page.goto(f"/agenda/?jour={day:%Y-%m-%d}&vue=semaine")
    expect(page.locator("main")).to_contain_text(seeker.get_full_name())
    assert_no_serious_axe_violations(page)
    page.goto("/agenda/disponibilites/")
    assert_no_serious_axe_violations(page)
    page.goto(f"/portefeuille/demandeurs/{seeker.pk}/")
    expect(page.locator("main")).to_contain_text(asked.message)


def test_the_join_button_becomes_active_by_itself_when_the_room_opens(
    page, home_page, counsellor, seeker, password
):
    """The room opens (10 minutes before the start) four seconds after the page loads:
    the disabled button turns into the link without a reload, and the live region says so."""
    log_in(page, seeker.email, password)
    before = datetime.timedelta(minutes=settings.VISIO_JOIN_MINUTES_BEFORE)
    starts = timezone.now() + before + datetime.timedelta(seconds=4)
    soon = Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30),
        channel="visio",
        room=visio.provider().new_room(),
    )
    page.goto(f"/rendez-vous/{soon.pk}/")
    join = page.get_by_role("button", name="Rejoindre")
    expect(join).to_be_disabled()
    # With JavaScript, no need to reload.
    expect(page.locator("#join-hint")).to_contain_text("deviendra alors actif de lui-même")
    live = page.locator("[data-join-status]")
    expect(live).to_have_attribute("role", "status")  # polite, present before it speaks
    expect(live).to_have_text("")
    assert_no_serious_axe_violations(page)

    link = page.get_by_role("link", name="Rejoindre")
    expect(link).to_be_visible(timeout=15_000)
    assert timezone.now() >= starts - before  # not before its time
    expect(page.get_by_role("button", name="Rejoindre")).to_have_count(0)
    expect(live).to_have_text("La salle est ouverte : vous pouvez rejoindre la visio.")
    expect(page.locator("#join-hint")).to_be_hidden()
    # The server agrees: the link leads to the room.
    href = link.get_attribute("href")
    assert href == f"/rendez-vous/{soon.pk}/rejoindre/"
    answer = page.request.get(href, max_redirects=0)
    assert answer.status == 302 and soon.room in answer.headers["location"]
    assert_no_serious_axe_violations(page)


def test_a_tab_that_slept_through_the_opening_checks_again_when_seen(
    page, home_page, counsellor, seeker, password
):
    """A hidden tab's timers are frozen (or the computer sleeps): the clock jumps past
    the opening without the timer firing; the page, seen again, opens the room."""
    log_in(page, seeker.email, password)
    now = timezone.now()
    starts = now + datetime.timedelta(hours=1)
    later = Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30),
        channel="visio",
        room=visio.provider().new_room(),
    )
    page.clock.install(time=now)
    page.goto(f"/rendez-vous/{later.pk}/")
    expect(page.get_by_role("button", name="Rejoindre")).to_be_disabled()
    page.clock.pause_at(now + datetime.timedelta(seconds=30))
    opens = starts - datetime.timedelta(minutes=settings.VISIO_JOIN_MINUTES_BEFORE)
    page.clock.set_system_time(opens + datetime.timedelta(seconds=2))  # no timer fires
    expect(page.get_by_role("button", name="Rejoindre")).to_be_disabled()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.get_by_role("link", name="Rejoindre")).to_be_visible()
    expect(page.locator("[data-join-status]")).to_contain_text("La salle est ouverte")


def test_time_off_over_a_booked_appointment_asks_what_to_do_with_it(
    page, home_page, counsellor, seeker, open_agenda, password
):
    day = timezone.localdate() + datetime.timedelta(days=2)
    starts = datetime.datetime.combine(day, datetime.time(10), tzinfo=PARIS)
    kept = Appointment.objects.create(
        seeker=seeker,
        counsellor=counsellor,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30),
        channel="phone",
    )
    log_in(page, counsellor.email, password)
    page.goto("/agenda/disponibilites/")
    page.locator("#id_off-starts_at").fill(f"{day:%Y-%m-%d}T09:00")
    page.locator("#id_off-ends_at").fill(f"{day:%Y-%m-%d}T12:00")
    page.locator("#id_off-reason").fill("Formation")
    page.get_by_role("button", name="Ajouter cette absence").click()
    expect(
        page.get_by_role("heading", name="1 rendez-vous est réservé pendant cette absence")
    ).to_be_visible()
    expect(page.locator("#id_off-reason")).to_have_value("Formation")
    expect(page.get_by_role("link", name=re.compile("10:00–10:30"))).to_have_attribute(
        "href", f"/rendez-vous/{kept.pk}/"
    )
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Enregistrer l’absence").click()  # no choice made
    expect(page.locator(".field__errors")).to_contain_text("Choisissez quoi faire de ces rendez-vous")
    page.get_by_label("Les garder").check()
    page.get_by_role("button", name="Enregistrer l’absence").click()
    expect(page.locator(".messages")).to_contain_text("1 rendez-vous reste réservé pendant celle-ci")
    expect(page.locator("main")).to_contain_text("1 rendez-vous reste réservé pendant cette absence")
    assert_no_serious_axe_violations(page)
    page.goto(f"/agenda/?jour={day:%Y-%m-%d}")
    expect(page.locator(".agenda__absence")).to_contain_text("de 09:00 à 12:00 — Formation")
    expect(page.locator("main")).to_contain_text(seeker.get_full_name())
    assert_no_serious_axe_violations(page)
