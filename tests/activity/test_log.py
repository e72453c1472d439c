from datetime import timedelta

import pytest
from django.utils import timezone

from activity.log import last_activity, record
from activity.models import ActivityEntry


@pytest.mark.django_db
def test_record_writes_who_what_which_object_and_when(seeker, counsellor):
    when = timezone.now() - timedelta(days=2)
    entry = record(
        seeker, "web.validated", actor=counsellor, target=seeker.seeker_profile, when=when, note="entretien"
    )
    entry.refresh_from_db()
    assert entry.seeker == seeker
    assert entry.actor == counsellor
    assert entry.target == seeker.seeker_profile
    assert entry.target_label == str(seeker.seeker_profile)
    assert entry.created_at == when
    assert entry.data == {"note": "entretien"}
    assert str(entry.label) == "Suivi 100 % web validé"


@pytest.mark.django_db
def test_last_activity_counts_only_what_the_seeker_did(seeker, counsellor):
    now = timezone.now()
    record(seeker, "account.logged_in", when=now - timedelta(days=20))
    record(seeker, "web.validated", actor=counsellor, when=now - timedelta(days=1))
    assert last_activity(seeker) == now - timedelta(days=20)


@pytest.mark.django_db
def test_the_100_web_follow_up_changes_are_logged_with_who_and_when(seeker, counsellor):
    profile = seeker.seeker_profile
    profile.volunteer_for_web()
    profile.validate_web(counsellor)
    assert profile.is_web and profile.web_validated_by == counsellor
    profile.withdraw_from_web(seeker)
    assert not profile.is_web
    entries = list(ActivityEntry.objects.order_by("pk").values_list("verb", "actor"))
    assert entries == [
        ("web.volunteered", seeker.pk),
        ("web.validated", counsellor.pk),
        ("web.withdrawn", seeker.pk),
    ]
