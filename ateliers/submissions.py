"""Sending an atelier's work for review, and the counsellor's review.

A submission freezes the seeker's answers: `snapshot` copies them, with what is needed
to read them later (the exercise's title, its checklist items or self-check choices),
into `Submission.snapshot`, which nothing changes afterwards. The seeker's answers stay
read-only while a submission waits (`Submission.objects.is_waiting`); once reviewed
"to revise", they can edit their answers and send them again: submission n + 1, the
earlier ones kept as history with their feedback.

The counsellor's feedback (overall and per exercise) is plain text or simple HTML,
always stored sanitised (core.sanitizer) and shown with `|sanitize`.
"""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.translation import gettext as _

from accounts.models import User
from activity import log
from core.notifications import send_templated_email
from core.sanitizer import sanitize_html

from .blocks import exercise_kinds
from .models import Answer, Submission, SubmissionStatus

#: The counsellor's two possible decisions.
DECISIONS = (SubmissionStatus.VALIDATED, SubmissionStatus.TO_REVISE)
#: How an answer of a kind no longer offered is shown: its text, if any.
RETIRED_KIND_TEMPLATE = "ateliers/includes/answer_free_text.html"
# Text that already holds HTML tags (else it is plain text, made into paragraphs).
_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")


# ---------------------------------------------------------------------------
# The frozen copy of the answers
# ---------------------------------------------------------------------------
def _freeze(step, block, answer):
    """One exercise of a snapshot: the answer's own fields, and what its kind keeps to
    read it later (ExerciseBlock.freeze)."""
    value = block.value
    return {
        "kind": block.block_type,
        "title": str(value.get("title", "")),
        "step": step.title,
        "step_id": step.pk,
        "text": answer.text if answer else "",
        "data": answer.data if answer else {},
        "file": answer.file.name if answer and answer.file else "",
        "file_name": answer.file_name if answer else "",
        **block.block.freeze(value, answer),
    }


def snapshot(seeker, atelier):
    """{exercise id: frozen answer} for every exercise of the atelier's live steps, in
    page order, answered or not (`answered` says which).

    PostgreSQL's jsonb does not keep the order of keys: each answer also holds its
    `position` in the atelier, which `frozen_answers` sorts by.
    """
    answers = {answer.exercise_id: answer for answer in Answer.objects.filter(seeker=seeker, atelier=atelier)}
    content = {}
    for step in atelier.steps():
        for exercise_id, block in step.exercises().items():
            content[exercise_id] = _freeze(step, block, answers.get(exercise_id))
            content[exercise_id]["position"] = len(content) - 1
    return content


# ---------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------
def submit(seeker, atelier, *, exercise_ids=None, now=None):
    """Send the seeker's work in `atelier` for review: the whole atelier, or only the
    exercises `exercise_ids` (one deliverable). Returns the new Submission.

    Raises ValueError (with a message for the seeker) when a submission already waits
    for review, when the exercises chosen are not the atelier's, or when none of them
    is answered.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # One sending at a time per seeker: a double click or a second tab waits here,
        # then finds the submission the first one made.
        list(User.objects.select_for_update().filter(pk=seeker.pk).values_list("pk", flat=True))
        latest = Submission.objects.latest_for(seeker, atelier)
        if latest is not None and latest.status == SubmissionStatus.SUBMITTED:
            raise ValueError(_("Your work is already waiting for your counsellor's review."))
        content = snapshot(seeker, atelier)
        if exercise_ids is not None:
            wanted = {str(exercise_id) for exercise_id in exercise_ids}
            if not wanted:
                raise ValueError(_("Choose at least one exercise to send."))
            if not wanted <= content.keys():
                raise ValueError(_("Choose exercises of this e-atelier."))
            content = {key: item for key, item in content.items() if key in wanted}
        if not any(item["answered"] for item in content.values()):
            raise ValueError(_("Answer at least one of these exercises before sending your work."))
        number = (latest.number if latest else 0) + 1
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    seeker=seeker,
                    atelier=atelier,
                    number=number,
                    submitted_at=now,
                    snapshot=content,
                    status=SubmissionStatus.SUBMITTED,
                )
        except IntegrityError:  # a database without row locks (SQLite) and a race
            raise ValueError(_("Your work is already waiting for your counsellor's review.")) from None
        log.record(
            seeker,
            "atelier.submitted",
            target=atelier,
            when=now,
            submission=number,
            exercises=sum(1 for item in content.values() if item["answered"]),
        )
    return submission


# ---------------------------------------------------------------------------
# Reviewing
# ---------------------------------------------------------------------------
def clean_feedback(text):
    """The counsellor's `text` as safe HTML: plain text becomes paragraphs, then
    everything goes through the sanitiser."""
    text = (text or "").strip()
    if not text:
        return ""
    html = text if _HTML_TAG.search(text) else linebreaks(escape(text))
    html = sanitize_html(html).strip()
    return html if strip_tags(html).strip() else ""


def submissions_url(atelier, base_url=""):
    """The seeker's "envois/" page of `atelier`, absolute when given `base_url`."""
    url = atelier.get_url() + atelier.reverse_subpage("submissions")
    return base_url + url if url.startswith("/") else url


def review(submission, reviewer, *, decision, feedback="", exercise_feedback=None, now=None, base_url=""):
    """Record `reviewer`'s review of `submission` (which must still wait for one) and
    notify the seeker by e-mail (one message, sent by an RQ job once committed).

    `decision` is SubmissionStatus.VALIDATED or TO_REVISE; `feedback` the overall feedback and
    `exercise_feedback` {exercise id: feedback}, both plain text or simple HTML.
    `base_url` ("https://host") makes the link in the e-mail absolute.
    """
    if decision not in DECISIONS:
        raise ValueError(_("Choose whether the work is validated or to revise."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("atelier", "seeker")
            .get(pk=submission.pk)
        )
        if locked.status != SubmissionStatus.SUBMITTED:
            raise ValueError(_("This submission has already been reviewed."))
        per_exercise = {}
        for exercise_id, text in (exercise_feedback or {}).items():
            html = clean_feedback(text)
            if html and str(exercise_id) in locked.snapshot:
                per_exercise[str(exercise_id)] = html
        locked.status = decision
        locked.reviewer = reviewer
        locked.reviewed_at = now
        locked.feedback = clean_feedback(feedback)
        locked.exercise_feedback = per_exercise
        locked.save(update_fields=["status", "reviewer", "reviewed_at", "feedback", "exercise_feedback"])
        atelier = locked.atelier
        log.record(
            locked.seeker,
            "atelier.reviewed",
            target=atelier,
            actor=reviewer,
            when=now,
            submission=locked.number,
            decision=str(decision),
        )
        send_templated_email(
            locked.seeker.email,
            subject_template="ateliers/email/review_subject.txt",
            body_template="ateliers/email/review_body.txt",
            context={
                "seeker": locked.seeker,
                "counsellor": reviewer,
                "atelier": atelier,
                "submission": locked,
                "to_revise": decision == SubmissionStatus.TO_REVISE,
                "submissions_url": submissions_url(atelier, base_url),
            },
        )
    for name in ("status", "reviewer", "reviewed_at", "feedback", "exercise_feedback"):
        setattr(submission, name, getattr(locked, name))
    return submission


# ---------------------------------------------------------------------------
# Reading a frozen answer (templates/ateliers/includes/answer_*.html)
# ---------------------------------------------------------------------------
@dataclass
class FrozenAnswer:
    """One exercise of a snapshot, ready for the answer templates: `template` shows
    `content` (ExerciseBlock.answer_template and frozen_context)."""

    exercise_id: str
    kind: str
    title: str
    step_title: str
    step_id: int | None
    answered: bool
    template: str = RETIRED_KIND_TEMPLATE
    content: dict = field(default_factory=dict)
    feedback: str = ""  # the counsellor's, sanitised HTML

    @property
    def anchor(self):
        return f"exercice-{self.exercise_id}"


def frozen_answers(content, exercise_feedback=None):
    """FrozenAnswers of a snapshot `content`, with their feedback, in page order."""
    exercise_feedback = exercise_feedback or {}
    kinds = exercise_kinds()
    answers = []
    ordered = sorted(content.items(), key=lambda pair: pair[1].get("position", len(content)))
    for exercise_id, item in ordered:
        kind = item.get("kind", "")
        exercise = kinds.get(kind)
        answers.append(
            FrozenAnswer(
                exercise_id=exercise_id,
                kind=kind,
                title=item.get("title", ""),
                step_title=item.get("step", ""),
                step_id=item.get("step_id"),
                answered=bool(item.get("answered", True)),
                template=exercise.answer_template if exercise else RETIRED_KIND_TEMPLATE,
                content=exercise.frozen_context(item) if exercise else {"text": item.get("text", "")},
                feedback=exercise_feedback.get(exercise_id, ""),
            )
        )
    return answers
