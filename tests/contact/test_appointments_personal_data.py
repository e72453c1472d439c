"""Appointments in a person's export (through the export page) and after their account's
deletion."""

import pytest
from django.urls import reverse
from django.utils import timezone

from contact import appointments
from contact.models import Appointment
from core.privacy import delete_user
from tests.exports import exported

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_seekers_appointments_and_the_counsellors_agenda(
    client, counsellor, seeker, agenda
):
    slot = appointments.free_slots(counsellor, now=timezone.now())[0]
    appointments.book(
        seeker, counsellor, slot.starts_at, channel="visio", reason="Préparer un entretien", by=seeker
    )
    client.force_login(seeker)
    [mine] = exported(client.get(reverse("accounts:export")))["data"]["contact.appointments"]["appointments"]
    assert (mine["reason"], mine["channel"], mine["counsellor__email"]) == (
        "Préparer un entretien",
        "visio",
        counsellor.email,
    )
    client.force_login(counsellor)
    theirs = exported(client.get(reverse("accounts:export")))["data"]["contact.appointments"]
    assert len(theirs["agenda"]) == 7 and theirs["agenda"][0]["slot_minutes"] == 30
    assert [row["seeker_id"] for row in theirs["agenda_appointments"]] == [seeker.pk]


def test_deleting_the_seeker_deletes_their_appointments(counsellor, seeker, agenda):
    slot = appointments.free_slots(counsellor, now=timezone.now())[0]
    appointments.book(seeker, counsellor, slot.starts_at, channel="phone", by=seeker)
    delete_user(seeker)
    assert not Appointment.objects.exists()
    # The counsellor's slot is free again.
    assert appointments.free_slots(counsellor, now=timezone.now())[0] == slot
