"""The counsellor's review of a sent mock interview: the answers with their videos and
measures, comments pinned to a time (with and without JavaScript), the grid beside the
self-assessment, the decision, one e-mail after commit, the derived module status, and
the seeker reading it all beside their videos."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity.models import ActivityEntry
from core.models import OutgoingEmail
from core.modules import ModuleStatus
from interviews import reviews
from interviews.models import Review, ReviewComment
from tests.factories import CounsellorFactory
from tests.factories import interviews as build
from tests.factories.interview_reviews import recorded, sent_with_takes

QUEUE = reverse("coaching:review_queue")
QUERIES = 11


def comment_url(attempt):
    return reverse("interviews:add_comment", args=[attempt.pk])


def criteria_of(interview):
    return list(interview.rubric.criteria.order_by("sort_order"))


@pytest.fixture
def sent(seeker, interview):
    """Attempt 1, every question answered twice, the first takes sent, self-assessed."""
    attempt = sent_with_takes(seeker, interview, takes_per_question=2, speaking=45, long_pauses=(3.0,))
    attempt.self_assessment = {
        str(c.pk): level for c, level in zip(criteria_of(interview), (2, 3, 4), strict=True)
    }
    attempt.notes = "J'ai hésité sur la deuxième."
    attempt.save()
    return attempt


def chosen(attempt, position):
    return attempt.takes.get(position=position, chosen=True)


def review_form(interview, *, decision="validated", advice="Bonne posture, regard franc.", levels=(3, 3, 4)):
    data = {"decision": decision, "advice": advice}
    for criterion, level in zip(criteria_of(interview), levels, strict=True):
        data[f"score_{criterion.pk}"] = level
    return data


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0:05", 5.0), ("1:05", 65.0), ("01:05.5", 65.5), ("75", 75.0), (" 2:00 ", 120.0)],
)
def test_times_are_read_as_minutes_and_seconds(text, seconds):
    assert reviews.parse_time(text) == seconds


@pytest.mark.parametrize("text", ["", "1:75", "abc", "-1", "1:2:3", "1:5"])
def test_what_is_not_a_time_is_refused(text):
    assert reviews.parse_time(text) is None


@pytest.mark.django_db
def test_the_review_page_shows_the_answers_sent_with_measures_and_the_self_assessment(
    client, counsellor, sent, interview
):
    client.force_login(counsellor)

    response = client.get(sent.review_url())

    assert response.status_code == 200
    html = response.content.decode()
    for position in (1, 2, 3):
        take = chosen(sent, position)
        assert f'<source src="/fichiers/{take.rendition.name}" type="video/mp4">' in html
        assert client.get(take.rendition.url).status_code == 200  # the counsellor may play it
    not_sent = sent.takes.filter(chosen=False).first()
    assert not_sent.rendition.name not in html
    assert "Vous avez parlé 45\xa0s sur les 2\xa0min prévues." in html
    assert "Auto-évaluation de la personne : niveau 2 : en progrès" in html
    assert "J&#x27;ai hésité sur la deuxième." in html
    assert "<kbd>Alt</kbd> + <kbd>Maj</kbd> + <kbd>C</kbd>" in html  # the shortcut, documented
    assert "js/interview-review.js" in html


@pytest.mark.django_db
def test_a_comment_without_javascript_is_pinned_at_the_typed_time(
    client, counsellor, seeker, sent, interview
):
    client.force_login(counsellor)
    take = chosen(sent, 2)

    response = client.post(
        comment_url(sent), {"take": take.pk, "at": "0:12", "text": "Ici, <b>regardez</b> la caméra."}
    )

    assert response.status_code == 302
    assert response.url == f"{sent.review_url()}#question-2"
    comment = ReviewComment.objects.get()
    assert (comment.take, comment.at_seconds, comment.text) == (take, 12.0, "Ici, <b>regardez</b> la caméra.")
    assert comment.review.decision == "" and comment.review.counsellor == counsellor
    html = client.get(sent.review_url()).content.decode()
    assert 'data-seek="12.0"' in html and ">0:12</button>" in html
    assert "Ici, &lt;b&gt;regardez&lt;/b&gt; la caméra." in html
    # A review being written: still waiting in the queue, still "submitted", the seeker sees nothing yet.
    assert sent.review_url() in client.get(QUEUE).content.decode()
    assert interview.progress_for(seeker).status == ModuleStatus.SUBMITTED
    client.force_login(seeker)
    assert "regardez" not in client.get(sent.seeker_url()).content.decode()


@pytest.mark.django_db
def test_a_wrong_time_shows_the_form_again_with_what_was_typed(client, counsellor, sent):
    client.force_login(counsellor)
    take = chosen(sent, 1)

    response = client.post(comment_url(sent), {"take": take.pk, "at": "1:75", "text": "Trop long"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Indiquez le moment en minutes:secondes, par exemple 1:05." in html
    assert 'value="1:75"' in html and ">Trop long</textarea>" in html
    # Past the end of the answer (60 s).
    response = client.post(comment_url(sent), {"take": take.pk, "at": "3:00", "text": "Après la fin"})
    assert "Cette réponse dure 1:00 : indiquez un moment compris dedans." in response.content.decode()
    assert not ReviewComment.objects.exists()


@pytest.mark.django_db
def test_the_script_gets_json_back(client, counsellor, sent):
    client.force_login(counsellor)
    take = chosen(sent, 3)

    response = client.post(
        comment_url(sent), {"take": take.pk, "at": "0:07", "text": "Bien."}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 201
    comment = ReviewComment.objects.get()
    assert json.loads(response.content) == {
        "id": comment.pk,
        "take": take.pk,
        "at_seconds": 7.0,
        "at_label": "0:07",
        "text": "Bien.",
        "delete_url": reverse("interviews:delete_comment", args=[sent.pk, comment.pk]),
    }
    refused = client.post(
        comment_url(sent), {"take": take.pk, "at": "0:08", "text": " "}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400
    assert json.loads(refused.content) == {"errors": ["Champ requis."]}

    deleted = client.post(
        reverse("interviews:delete_comment", args=[sent.pk, comment.pk]), HTTP_ACCEPT="application/json"
    )
    assert deleted.status_code == 200 and not ReviewComment.objects.exists()


@pytest.mark.django_db
def test_only_the_takes_sent_can_be_commented(client, counsellor, sent, seeker, interview):
    client.force_login(counsellor)
    private = sent.takes.filter(chosen=False).first()
    elsewhere = chosen(
        sent_with_takes(seeker, build.interview(interview.get_parent().get_parent(), "Autre")), 1
    )

    for take in (private, elsewhere):
        response = client.post(comment_url(sent), {"take": take.pk, "at": "0:01", "text": "Non"})
        assert response.status_code == 302
        assert [m.level_tag for m in get_messages(response.wsgi_request)][-1] == "error"
    assert not ReviewComment.objects.exists()


@pytest.mark.django_db
def test_the_review_is_given_once_mails_the_seeker_after_commit_and_completes_the_module(
    client, counsellor, seeker, sent, interview, queues, run_jobs, django_capture_on_commit_callbacks
):
    client.force_login(counsellor)
    client.post(comment_url(sent), {"take": chosen(sent, 1).pk, "at": "0:04", "text": "Souriez."})

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(sent.review_url(), review_form(interview))
        assert queues["default"].count == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()

    assert response.status_code == 302 and response.url == QUEUE
    review = Review.objects.get(attempt=sent)
    assert (review.decision, review.counsellor, review.advice) == (
        "validated",
        counsellor,
        "Bonne posture, regard franc.",
    )
    assert review.scores == {
        str(c.pk): level for c, level in zip(criteria_of(interview), (3, 3, 4), strict=True)
    }
    assert review.comments.count() == 1
    entry = ActivityEntry.objects.get(seeker=seeker, verb="interview.reviewed")
    assert entry.actor == counsellor and entry.data == {"attempt": 1, "decision": "validated"}
    assert OutgoingEmail.objects.filter(to=seeker.email).count() == 1
    assert run_jobs() == 1
    (message,) = mail.outbox
    assert message.to == [seeker.email]
    assert (
        message.subject
        == "« Entretien d'embauche » : votre conseillère ou conseiller a validé votre simulation d’entretien"
    )
    assert f"http://testserver{sent.seeker_url()}" in message.body
    assert "1 commentaire sur vos vidéos" in message.body
    assert interview.progress_for(seeker).status == ModuleStatus.COMPLETED
    assert sent.review_url() not in client.get(QUEUE).content.decode()

    # Given: read-only, a second review or comment is refused.
    again = client.post(sent.review_url(), review_form(interview, decision="practise", advice="Non"))
    assert again.status_code == 302
    assert Review.objects.get(attempt=sent).decision == "validated"
    client.post(comment_url(sent), {"take": chosen(sent, 1).pk, "at": "0:05", "text": "Trop tard"})
    assert ReviewComment.objects.count() == 1
    assert queues["default"].count == 0 and len(mail.outbox) == 1
    page = client.get(sent.review_url()).content.decode()
    assert "data-comment-form" not in page and "Relecture faite" in page


@pytest.mark.django_db
def test_practise_again_needs_advice_and_every_score(client, counsellor, seeker, sent, interview):
    client.force_login(counsellor)
    data = review_form(interview, decision="practise", advice="  ")
    first = criteria_of(interview)[0]
    del data[f"score_{first.pk}"]

    response = client.post(sent.review_url(), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dites à la personne ce qu’elle doit travailler." in html
    assert f"Évaluez « {first.name} »." in html
    assert not Review.objects.exists() and not OutgoingEmail.objects.exists()

    client.post(
        sent.review_url(), review_form(interview, decision="practise", advice="Travaillez l'accroche.")
    )
    assert interview.progress_for(seeker).status == ModuleStatus.REVIEWED


@pytest.mark.django_db
def test_the_seeker_sees_the_review_beside_their_videos_with_the_same_comments(
    client, counsellor, seeker, sent, interview
):
    client.force_login(counsellor)
    for at, text in (("0:30", "Plus lentement."), ("0:04", "Bon début.")):
        client.post(comment_url(sent), {"take": chosen(sent, 1).pk, "at": at, "text": text})
    client.post(
        sent.review_url(), review_form(interview, decision="practise", advice="Travaillez l'accroche.")
    )
    client.force_login(seeker)

    response = client.get(sent.seeker_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre conseillère ou conseiller vous conseille de vous entraîner encore" in html
    assert "Travaillez l&#x27;accroche." in html
    assert html.index("Bon début.") < html.index("Plus lentement.")  # by time
    assert 'data-seek="4.0"' in html and 'data-seek="30.0"' in html
    assert "data-comment-form" not in html  # the seeker reads, does not comment
    assert f'<source src="/fichiers/{chosen(sent, 1).rendition.name}"' in html
    # The grid: their self-assessment beside the counsellor's score.
    assert "<td>Niveau 2 : en progrès</td>" in html and "<td>Niveau 3 : bien</td>" in html
    assert "js/interview-review.js" in html
    # The attempt's page and "Mon parcours" lead to it.
    assert sent.seeker_url() in client.get(interview.url).content.decode()


@pytest.mark.django_db
def test_a_counsellor_who_no_longer_follows_the_seeker_gets_404(client, counsellor, seeker, sent):
    successor = CounsellorFactory()
    seeker.seeker_profile.counsellor = successor
    seeker.seeker_profile.save(update_fields=["counsellor"])
    client.force_login(counsellor)

    assert client.get(sent.review_url()).status_code == 404
    take = chosen(sent, 1)
    assert client.post(comment_url(sent), {"take": take.pk, "at": "0:01", "text": "Non"}).status_code == 404
    client.force_login(successor)
    assert client.get(sent.review_url()).status_code == 200


@pytest.mark.django_db
def test_the_review_page_costs_the_same_queries_whatever_the_answers_and_comments(
    client, counsellor, seeker, home_page
):
    one = build.interview(home_page, "Court", questions=build.question_set("Une", questions=("Q1 ?",)))
    five = build.interview(home_page, "Long", questions=build.question_set("Cinq", questions=tuple("ABCDE")))
    client.force_login(counsellor)
    counted = []
    for page, comments in ((one, 1), (five, 4)):
        attempt = sent_with_takes(seeker, page)
        for take in attempt.takes.filter(chosen=True):
            for second in range(comments):
                reviews.add_comment(attempt, counsellor, take=take, at_seconds=second, text=f"Note {second}")
        build.send(recorded(seeker, page))  # another attempt, in the history
        with CaptureQueriesContext(connection) as captured:
            response = client.get(attempt.review_url())
        assert response.status_code == 200
        assert len(response.context["answers"]) == page.questions().count()
        assert sum(len(answer.comments) for answer in response.context["answers"]) == comments * len(
            response.context["answers"]
        )
        counted.append(len(captured))
    # Session, user, the attempt (with its permission), takes, questions, transcripts, comments,
    # criteria, the other attempts, and the savepoints of the page's transaction.
    assert counted[0] == counted[1] == QUERIES
