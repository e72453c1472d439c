"""A portfolio holds at most the counsellor's caps (250 web / 150 guidé / 70 renforcé by
default); an addition beyond is refused with a clear message, also when two additions
race for the last place."""

import threading

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Modality, SeekerProfile
from coaching import capacity
from coaching.models import FollowUp
from tests.factories import CounsellorFactory, SeekerFactory


def set_caps(counsellor, **caps):
    profile = counsellor.counsellor_profile
    for name, value in caps.items():
        setattr(profile, f"capacity_{name}", value)
    profile.save()


@pytest.mark.django_db
def test_defaults_are_250_web_150_guide_70_renforce(counsellor):
    profile = counsellor.counsellor_profile
    assert (profile.capacity_web, profile.capacity_guide, profile.capacity_renforce) == (250, 150, 70)


@pytest.mark.django_db
def test_adding_beyond_the_cap_is_refused_with_a_clear_message(client, counsellor):
    set_caps(counsellor, renforce=1)
    SeekerFactory(counsellor=counsellor, modality=Modality.RENFORCE)
    newcomer = SeekerFactory(email="nouveau@exemple.test", modality=Modality.RENFORCE)
    client.force_login(counsellor)
    response = client.post("/portefeuille/ajouter/", {"add-email": "nouveau@exemple.test"}, follow=True)
    assert "1 sur 1" in response.content.decode() or "1 of 1" in response.content.decode()
    newcomer.seeker_profile.refresh_from_db()
    assert newcomer.seeker_profile.counsellor is None
    # Another modality still has room.
    guide = SeekerFactory(email="guide@exemple.test", modality=Modality.GUIDE)
    client.post("/portefeuille/ajouter/", {"add-email": "GUIDE@exemple.test"})
    guide.seeker_profile.refresh_from_db()
    assert guide.seeker_profile.counsellor == counsellor
    assert FollowUp.objects.get(seeker=guide).counsellor == counsellor


@pytest.mark.django_db
def test_a_seeker_followed_by_someone_else_cannot_be_taken(client, counsellor):
    other = SeekerFactory(email="suivi@exemple.test", counsellor=CounsellorFactory())
    client.force_login(counsellor)
    client.post("/portefeuille/ajouter/", {"add-email": "suivi@exemple.test"})
    other.seeker_profile.refresh_from_db()
    assert other.seeker_profile.counsellor != counsellor


@pytest.mark.django_db
def test_validating_web_follow_up_counts_against_the_web_cap(counsellor):
    set_caps(counsellor, web=1)
    first = SeekerFactory(counsellor=counsellor, modality=Modality.GUIDE)
    second = SeekerFactory(counsellor=counsellor, modality=Modality.GUIDE)
    capacity.validate_web(first.seeker_profile, counsellor)
    with pytest.raises(capacity.CapacityError):
        capacity.validate_web(second.seeker_profile, counsellor)
    assert not SeekerProfile.objects.get(user=second).is_web


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_additions_racing_for_the_last_place_let_only_one_in(counsellor):
    set_caps(counsellor, guide=1)
    emails = ["a@exemple.test", "b@exemple.test"]
    for email in emails:
        SeekerFactory(email=email, modality=Modality.GUIDE)
    barrier = threading.Barrier(len(emails))
    statuses = []

    def add(email):
        try:
            browser = Client()
            browser.force_login(counsellor)
            barrier.wait()
            statuses.append(browser.post("/portefeuille/ajouter/", {"add-email": email}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert SeekerProfile.objects.filter(counsellor=counsellor).count() == 1
    assert FollowUp.objects.filter(counsellor=counsellor).count() == 1


@pytest.mark.django_db
def test_without_the_lock_the_check_alone_would_let_both_in(counsellor):
    """What the lock protects against: the count is read before either addition."""
    set_caps(counsellor, guide=1)
    a, b = (SeekerFactory(modality=Modality.GUIDE).seeker_profile for _ in range(2))
    capacity.check_room(counsellor, a)
    capacity.check_room(counsellor, b)  # both see room: only the serialised transaction decides
    capacity.assign_counsellor(a, counsellor, actor=counsellor)
    with pytest.raises(capacity.CapacityError):
        capacity.assign_counsellor(b, counsellor, actor=counsellor)
