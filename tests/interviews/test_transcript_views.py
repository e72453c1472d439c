"""An answer's transcript on the pages: its captions track (read like the video), the
clickable lines, the measures it adds, and the seeker's correction."""

import pytest
from django.urls import reverse

from interviews.models import TakeTranscript, TranscriptStatus
from tests.factories import CounsellorFactory, EditorFactory, ManagerFactory, SeekerFactory
from tests.factories import interviews as build

WORDS = [
    ["Bonjour,", 0.5, 0.9],
    ["euh", 1.2, 1.4],
    ["je", 1.6, 1.7],
    ["m'appelle", 1.7, 2.1],
    ["Claire.", 2.1, 2.6],
]


@pytest.fixture
def answered(seeker, counsellor, home_page):
    attempt = build.started(seeker, build.interview(home_page), takes=1)
    build.send(attempt)
    take = attempt.takes.get()
    # Processed: the recording plays as it is (the factory's bytes stand for a WebM).
    type(take).objects.filter(pk=take.pk).update(remuxed=take.recording.name, status="ready")
    take.refresh_from_db()
    TakeTranscript.objects.create(
        take=take,
        status=TranscriptStatus.DONE,
        text="Bonjour, euh je m'appelle Claire.",
        words=WORDS,
        words_per_minute=132.4,
        fillers={"euh": 1},
    )
    return take


def user_for(role, seeker, counsellor, team):
    return {
        "seeker": seeker,
        "other_seeker": SeekerFactory(),
        "counsellor": counsellor,
        "other_counsellor": CounsellorFactory(),
        "manager": ManagerFactory(team=team),
        "editor": EditorFactory(),
    }[role]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "captions", "correct"),
    [
        ("seeker", 200, 302),
        ("other_seeker", 404, 404),
        ("counsellor", 200, 404),  # the counsellor reads the sent answer's words, does not edit them
        ("other_counsellor", 404, 404),
        ("manager", 404, 404),
        ("editor", 404, 404),
    ],
)
def test_who_reads_and_corrects_a_transcript(
    client, answered, seeker, counsellor, team, role, captions, correct
):
    client.force_login(user_for(role, seeker, counsellor, team))
    response = client.get(reverse("interviews:take_captions", args=[answered.pk]))
    assert response.status_code == captions
    if captions == 200:
        assert response["Content-Type"] == "text/vtt; charset=utf-8"
        assert response.content.decode().startswith("WEBVTT")
        assert "Bonjour, euh je m'appelle Claire." in response.content.decode()
    response = client.post(
        reverse("interviews:take_transcript", args=[answered.pk]), {"corrected_text": "Bonjour."}
    )
    assert response.status_code == correct
    stored = TakeTranscript.objects.get(take=answered).corrected_text
    assert stored == ("Bonjour." if correct == 302 else "")


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, answered):
    for response in (
        client.get(reverse("interviews:take_captions", args=[answered.pk])),
        client.post(reverse("interviews:take_transcript", args=[answered.pk]), {"corrected_text": "x"}),
    ):
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_pages_show_the_lines_the_track_and_the_new_measures(client, answered, seeker, counsellor):
    client.force_login(seeker)
    page = client.get(answered.attempt.seeker_url()).content.decode()
    assert f'src="{reverse("interviews:take_captions", args=[answered.pk])}"' in page
    assert 'data-seek="0.5"' in page and 'data-seek="1.2"' in page
    assert "environ 132 mots par minute" in page
    assert "1 mot de remplissage" in page
    assert 'name="corrected_text"' in page

    client.post(
        reverse("interviews:take_transcript", args=[answered.pk]),
        {"corrected_text": "Bonjour, je m'appelle Claire."},
    )
    client.force_login(counsellor)
    review = client.get(answered.attempt.review_url()).content.decode()
    assert "Bonjour, je m&#x27;appelle Claire." in review
    assert 'name="corrected_text"' not in review
