"""The counsellor's review of a sent attempt: comments pinned to a time of the takes
sent, the grid scored, overall advice and a decision, then one e-mail to the seeker.

A review is written in two moves. While the counsellor watches, each comment is saved
at once (`add_comment`), on a Review row without a decision yet (a draft: the attempt
stays in the review queue, the seeker sees nothing). `give` then fills the grid,
the advice and the decision, in one transaction that logs it and queues the e-mail
(core.notifications: sent by an RQ job once committed). A given review does not
change any more. The module status follows from the decision
(MockInterviewPage.progress_for_many): validated → completed, practise again → reviewed.

Texts are plain text, shown escaped (|linebreaksbr): no HTML to sanitise.
"""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import log
from core.notifications import send_templated_email

from .models import Attempt, Decision, Review, ReviewComment, RubricCriterion, Take
from .submissions import criteria_of

COMMENT_MAX_LENGTH = 2000
ADVICE_MAX_LENGTH = 10000
# "1:05", "01:05", "1:05.5", or seconds alone ("65").
_TIME = re.compile(r"^\s*(?:(\d{1,3}):(\d{2})|(\d{1,4}))(?:[.,](\d))?\s*$")


def parse_time(text):
    """Seconds from "m:ss" (or plain seconds), or None when it is not a time."""
    match = _TIME.match(text or "")
    if not match:
        return None
    minutes, seconds, alone, tenths = match.groups()
    if minutes is not None and int(seconds) > 59:
        return None
    return int(minutes or 0) * 60 + int(seconds or alone) + int(tenths or 0) / 10


def format_time(seconds):
    """The time as "m:ss" for people (whole seconds, rounded down: a comment never sits past the
    moment it was typed at)."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def draft_for(attempt, counsellor):
    """The attempt's review being written (made on the first comment). A given review
    is refused: it no longer changes."""
    try:
        with transaction.atomic():
            review, _created = Review.objects.get_or_create(
                attempt=attempt, defaults={"counsellor": counsellor, "decision": ""}
            )
    except IntegrityError:  # two first comments at once: the other made it
        review = Review.objects.get(attempt=attempt)
    if review.is_given:
        raise ValueError(_("This interview has already been reviewed."))
    return review


def add_comment(attempt, counsellor, *, take, at_seconds, text, now=None):
    """Pin `text` at `at_seconds` of `take` (a take sent with `attempt`). Returns the
    ReviewComment; raises ValueError with a message for the counsellor."""
    text = (text or "").strip()
    if not text:
        raise ValueError(_("Write your comment."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValueError(_("A comment is %(max)s characters at most.") % {"max": COMMENT_MAX_LENGTH})
    if take.attempt_id != attempt.pk or not take.chosen:
        raise ValueError(_("Comment on an answer of this interview."))
    if at_seconds is None or at_seconds < 0:
        raise ValueError(_("Give the time as minutes:seconds, for example 1:05."))
    if take.duration and at_seconds > take.duration + 1:
        raise ValueError(
            _("This answer lasts %(duration)s: give a time within it.")
            % {"duration": format_time(take.duration)}
        )
    with transaction.atomic():
        # The attempt's row lock orders this with `give`: no comment joins a review
        # given in the meantime.
        Attempt.objects.select_for_update().filter(pk=attempt.pk).values_list("pk").get()
        review = draft_for(attempt, counsellor)
        return ReviewComment.objects.create(
            review=review,
            take=take,
            at_seconds=round(at_seconds, 1),
            text=text,
            created_at=now or timezone.now(),
        )


def delete_comment(attempt, comment_id):
    """Remove a comment of the review being written (not of a given review)."""
    deleted, _counts = ReviewComment.objects.filter(
        pk=comment_id, review__attempt=attempt, review__decision=""
    ).delete()
    return bool(deleted)


def clean_scores(criteria, scores):
    """{criterion id (str): level} for the grid's criteria only."""
    known = {str(criterion.pk) for criterion in criteria}
    return {key: level for key, level in scores.items() if key in known and level in RubricCriterion.LEVELS}


def attempt_url(attempt, base_url=""):
    """The seeker's page of the attempt, absolute when given `base_url`."""
    return base_url + attempt.seeker_url()


def give(attempt, counsellor, *, scores, advice, decision, now=None, base_url=""):
    """Give the review of `attempt` (sent, not reviewed yet): the grid `scores`
    {criterion id (str): level}, the overall `advice` and the `decision`. Logs it and
    queues one e-mail to the seeker (`base_url`, "https://host", makes its link
    absolute). Returns the Review."""
    if decision not in Decision.values:
        raise ValueError(_("Choose “Validated” or “Practise again”."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("interview", "seeker")
            .get(pk=attempt.pk)
        )
        if not locked.is_sent:
            raise ValueError(_("This interview has not been sent for review."))
        review = Review.objects.filter(attempt=locked).first()
        if review is not None and review.is_given:
            raise ValueError(_("This interview has already been reviewed."))
        review = review or Review(attempt=locked)
        review.counsellor = counsellor
        review.scores = clean_scores(criteria_of(locked.interview), scores)
        review.advice = (advice or "").strip()[:ADVICE_MAX_LENGTH]
        review.decision = decision
        review.created_at = now
        review.save()
        log.record(
            locked.seeker,
            "interview.reviewed",
            target=locked.interview,
            actor=counsellor,
            when=now,
            attempt=locked.number,
            decision=str(decision),
        )
        send_templated_email(
            locked.seeker.email,
            subject_template="interviews/email/review_subject.txt",
            body_template="interviews/email/review_body.txt",
            context={
                "seeker": locked.seeker,
                "counsellor": counsellor,
                "interview": locked.interview,
                "attempt": locked,
                "practise_again": decision == Decision.PRACTISE_AGAIN,
                "comments": ReviewComment.objects.filter(review=review).count(),
                "attempt_url": attempt_url(locked, base_url),
            },
        )
    return review


def comments_by_take(review, takes):
    """{take id: [ReviewComment, by time]} of `review` on `takes` (one query)."""
    found = {take.pk: [] for take in takes}
    if review is None:
        return found
    for comment in ReviewComment.objects.filter(review=review, take__in=[take.pk for take in takes]).order_by(
        "take_id", "at_seconds", "pk"
    ):
        comment.at_label = format_time(comment.at_seconds)
        found.setdefault(comment.take_id, []).append(comment)
    return found


def sent_takes(attempt):
    """The takes sent with `attempt`, one per question, in order."""
    return list(Take.objects.filter(attempt=attempt, chosen=True).order_by("position"))


def given_review(attempt):
    """The attempt's review once given (None while none is, or one is being written)."""
    review = getattr(attempt, "review", None)
    return review if review is not None and review.is_given else None


def grid_rows(criteria, self_assessment, scores):
    """[(criterion, the seeker's level, the counsellor's level)], levels as
    (number, label) or None."""
    labels = {level: label for level, label, _description in criteria[0].levels()} if criteria else {}

    def level(levels, criterion):
        found = levels.get(str(criterion.pk))
        return (found, labels[found]) if found in labels else None

    return [
        (criterion, level(self_assessment, criterion), level(scores, criterion)) for criterion in criteria
    ]
