"""Who reads a mock interview's recordings, through the one private-file view: the
seeker, and their current counsellor for the takes sent to them; nobody else, not a
manager, an editor or an administrator."""

import pytest
from django.core.files.base import ContentFile

from accounts.models import Role
from interviews.models import Attempt
from tests.factories import CounsellorFactory, EditorFactory, UserFactory
from tests.factories import interviews as build

WEBM = b"\x1aE\xdf\xa3 a recording"


@pytest.fixture
def sent(seeker, interview):
    """Attempt n° 1 sent with take 1 of question 1 chosen; take 2 was recorded too, with
    every file the feedback job makes."""
    attempt = Attempt.objects.start(seeker, interview)
    build.record(attempt, interview.questions()[0], content=WEBM)
    second = build.record(attempt, interview.questions()[0])
    for field, name in (("remuxed", "r.webm"), ("rendition", "r.mp4"), ("poster", "r.jpg")):
        getattr(second, field).save(name, ContentFile(b"derived"), save=True)
    build.send(attempt)
    chosen, other = attempt.takes.order_by("number")
    assert chosen.chosen and not other.chosen
    return attempt, chosen, other


def read(client, user, name):
    client.force_login(user)
    response = client.get(f"/fichiers/{name}")
    if response.status_code == 200:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.django_db
def test_the_seeker_reads_all_their_takes_files(client, seeker, sent):
    _attempt, chosen, other = sent
    names = [chosen.recording.name, *other.stored_names()]
    assert len(names) == 5
    assert chosen.recording.url == f"/fichiers/{chosen.recording.name}"
    assert [read(client, seeker, name) for name in names] == [200] * 5


@pytest.mark.django_db
def test_the_counsellor_reads_only_the_chosen_take_of_a_sent_attempt(
    client, counsellor, seeker, interview, sent
):
    _attempt, chosen, other = sent
    assert read(client, counsellor, chosen.recording.name) == 200
    assert [read(client, counsellor, name) for name in other.stored_names()] == [404] * 4

    draft = build.started(seeker, interview)  # attempt n° 2, not sent
    assert read(client, counsellor, draft.takes.get().recording.name) == 404


@pytest.mark.django_db
def test_nobody_else_reads_a_recording(client, seeker, manager, other_seeker, sent):
    _attempt, chosen, _other = sent
    others = [
        other_seeker,
        CounsellorFactory(),  # outside the portfolio
        manager,  # the counsellor's team manager
        EditorFactory(),
        UserFactory(role=Role.ADMIN),
    ]
    assert [read(client, user, chosen.recording.name) for user in others] == [404] * len(others)
    client.logout()
    assert client.get(f"/fichiers/{chosen.recording.name}").status_code == 403


@pytest.mark.django_db
def test_a_counsellor_who_no_longer_follows_the_seeker_loses_access(client, counsellor, seeker, sent):
    _attempt, chosen, _other = sent
    successor = CounsellorFactory()
    seeker.seeker_profile.counsellor = successor
    seeker.seeker_profile.save(update_fields=["counsellor"])

    assert read(client, counsellor, chosen.recording.name) == 404
    assert read(client, successor, chosen.recording.name) == 200


@pytest.mark.django_db
def test_reading_a_file_costs_one_query_for_the_permission(
    client, seeker, sent, django_assert_max_num_queries
):
    _attempt, chosen, _other = sent
    client.force_login(seeker)
    # Session and user (2), the permission (1).
    with django_assert_max_num_queries(3):
        response = client.get(f"/fichiers/{chosen.recording.name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == WEBM
