"""The demo mock interviews: the classic questions and the retail interview."""

import pytest

from accounts.models import User
from core.private_media import private_storage
from interviews.models import Attempt, Decision, MockInterviewPage, QuestionSet, ReviewComment, Rubric
from interviews.submissions import delivery_measures
from media.models import ProcessingStatus


@pytest.mark.django_db
def test_seed_demo_builds_two_interviews_and_the_seekers_reviewed_attempt(client, demo):
    """Both demo interviews, the seeker's sent attempt and the counsellor's review."""
    # Seeded twice (tests/demo/conftest.py), with feedback run counts left in Redis under
    # the take ids: idempotent, still one attempt.

    # Two interviews sharing one grid.
    pages = {page.title: page for page in MockInterviewPage.objects.live()}
    classic = pages["Entretien d'embauche : les questions classiques"]
    retail = pages["Entretien : vendeur ou vendeuse en magasin"]
    assert (classic.questions().count(), retail.questions().count()) == (5, 3)
    assert classic.rubric == retail.rubric and classic.rubric.criteria.count() == 5
    assert (QuestionSet.objects.count(), Rubric.objects.count()) == (2, 1)
    assert client.get(classic.url).status_code == 200

    # The seeker's attempt, sent, and the counsellor's review.
    seeker = User.objects.get(email="demandeur@tremplin.test")
    [attempt] = Attempt.objects.filter(seeker=seeker)
    assert attempt.interview.title == "Entretien d'embauche : les questions classiques"
    assert (attempt.number, attempt.is_sent) == (1, True)
    takes = list(attempt.takes.order_by("position"))
    assert [(take.position, take.number, take.chosen) for take in takes] == [
        (n, 1, True) for n in range(1, 6)
    ]
    storage = private_storage()
    for take in takes:
        assert take.status == ProcessingStatus.READY
        assert 6 < take.duration < 14
        measures = delivery_measures(take.measures)
        assert measures.has_audio and measures.speaking_time > 3
        for file in (take.recording, take.remuxed, take.rendition, take.poster):
            assert file.name and storage.exists(file.name) and storage.size(file.name) > 0
        assert take.rendition.name.endswith(".mp4")
    # The silences were real: the third answer's 2.8 s pause is a long one.
    [pause] = delivery_measures(takes[2].measures).long_pauses
    assert pause.end - pause.start == pytest.approx(2.8, abs=0.25)

    review = attempt.review
    assert review.is_given and review.decision == Decision.PRACTISE_AGAIN
    assert review.counsellor.email == "conseillere@tremplin.test"
    assert sorted(review.scores.values()) == [2, 2, 2, 3, 3]
    comments = list(
        ReviewComment.objects.filter(review=review).select_related("take").order_by("take__position")
    )
    assert [comment.take.position for comment in comments] == [1, 3, 5]
    for comment in comments:
        assert 0 <= comment.at_seconds <= comment.take.duration
    assert comments[1].at_seconds == pytest.approx(pause.start, abs=0.1)

    # Both sides see it: the seeker their attempt with the comments, the counsellor the review.
    client.force_login(seeker)
    page = client.get(attempt.seeker_url())
    assert page.status_code == 200
    assert comments[1].text.replace("'", "&#x27;") in page.text
    client.force_login(review.counsellor)
    assert client.get(attempt.review_url()).status_code == 200
    assert client.get(takes[0].rendition.url).status_code == 200
