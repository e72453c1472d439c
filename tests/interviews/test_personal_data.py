"""A seeker's export holds their attempts, takes, reviews and comments; deleting the
account (or a take, or an attempt) deletes the rows, and the files once committed."""

import pytest
from django.core.files.base import ContentFile

from core.privacy import delete_user, export_user_data
from interviews.models import Attempt, Decision, Review, ReviewComment, Take
from tests.factories import interviews as build


@pytest.fixture
def reviewed(seeker, counsellor, interview):
    attempt = build.started(seeker, interview, takes=2)
    attempt.self_assessment = {"1": 3}
    attempt.notes = "J'ai parlé trop vite."
    attempt.save()
    take = attempt.takes.order_by("position").first()
    take.poster.save("p.jpg", ContentFile(b"jpeg"), save=True)
    build.send(attempt)
    review = build.review(attempt, counsellor, Decision.PRACTISE_AGAIN)
    ReviewComment.objects.create(review=review, take=take, at_seconds=12.5, text="Regardez la caméra.")
    return attempt


@pytest.mark.django_db
def test_the_export_lists_attempts_takes_reviews_and_comments(seeker, other_seeker, interview, reviewed):
    build.started(other_seeker, interview)

    exported = export_user_data(seeker)["interviews"]

    assert [(a["number"], a["notes"], a["self_assessment"]) for a in exported["attempts"]] == [
        (1, "J'ai parlé trop vite.", {"1": 3})
    ]
    assert sorted((t["position"], t["chosen"]) for t in exported["takes"]) == [(1, True), (2, True)]
    assert exported["takes"][0]["question_text"] in build.QUESTIONS
    assert [(r["review__decision"], r["review__advice"]) for r in exported["reviews"]] == [
        (Decision.PRACTISE_AGAIN, "Bonne posture.")
    ]
    assert [(c["at_seconds"], c["text"]) for c in exported["review_comments"]] == [
        (12.5, "Regardez la caméra.")
    ]


@pytest.mark.django_db
def test_deleting_the_account_deletes_the_rows_then_the_files(
    seeker, other_seeker, interview, reviewed, django_capture_on_commit_callbacks
):
    kept = build.started(other_seeker, interview).takes.get()
    names = [name for take in Take.objects.filter(attempt=reviewed) for name in take.stored_names()]
    assert len(names) == 3
    storage = kept.recording.storage

    with django_capture_on_commit_callbacks() as callbacks:
        delete_user(seeker)
    # Deleted rows, files still there until the transaction commits.
    assert not Attempt.objects.filter(pk=reviewed.pk).exists()
    assert not Review.objects.exists() and not ReviewComment.objects.exists()
    assert all(storage.exists(name) for name in names)
    for callback in callbacks:
        callback()

    assert not any(storage.exists(name) for name in names)
    assert storage.exists(kept.recording.name)
    assert list(Take.objects.all()) == [kept]


@pytest.mark.django_db
def test_a_deleted_take_takes_its_files_only_after_commit(
    seeker, interview, django_capture_on_commit_callbacks
):
    attempt = build.started(seeker, interview, takes=2)
    first, second = attempt.takes.order_by("position")
    storage = first.recording.storage

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()

    assert not storage.exists(first.recording.name)
    assert storage.exists(second.recording.name)
