"""After the recording: the seeker's self-assessment, their choice of one take per
question, sending the attempt to their counsellor, and the history of attempts.

An attempt is sent once (`Attempt.submitted_at`); it then can no longer change, apart
from the takes that were not chosen, which stay the seeker's alone and which they may
delete (`recordings.delete_take`). To practise again, the seeker starts a new attempt
(`Attempt.objects.start()` numbers it after the sent one). The files of a deleted take
leave the storage after the deletion commits (interviews/signal_handlers.py).

Measures are read from `Take.measures` (a `media.measures.DeliveryMeasures` as a dict,
written by the feedback job) and told with `media.measures.describe`.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import log
from media.measures import LONG_PAUSE_SECONDS, DeliveryMeasures, Silence, describe, format_duration
from media.models import ProcessingStatus

from . import transcripts
from .models import Attempt, RubricCriterion, Take

NOTES_MAX_LENGTH = 5000


# ---------------------------------------------------------------------------
# Reading the takes
# ---------------------------------------------------------------------------
def _silence(item):
    if isinstance(item, dict):
        return Silence(float(item["start"]), float(item["end"]))
    start, end = item
    return Silence(float(start), float(end))


def delivery_measures(data):
    """The DeliveryMeasures stored in a take's `measures` (`dataclasses.asdict`'s
    shape), or None when there are none (not measured yet) or they cannot be read."""
    if not data:
        return None
    try:
        return DeliveryMeasures(
            duration=float(data["duration"]),
            has_audio=bool(data.get("has_audio", True)),
            speaking_time=float(data.get("speaking_time", 0.0)),
            silences=tuple(_silence(item) for item in data.get("silences", ())),
            pauses=tuple(_silence(item) for item in data.get("pauses", ())),
            long_pause_threshold=float(data.get("long_pause_threshold", LONG_PAUSE_SECONDS)),
            leading_silence=float(data.get("leading_silence", 0.0)),
            loudness=data.get("loudness"),
            peak=data.get("peak"),
            too_quiet=bool(data.get("too_quiet", False)),
            clipped=bool(data.get("clipped", False)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def is_ready(take):
    """Processed (measured, playable) and its files still there."""
    return take.status == ProcessingStatus.READY and take.files_deleted_at is None


def video_sources(take):
    """[(url, type)] to play `take` in a <video>: the MP4 rendition first (every
    browser plays it), then the remuxed recording (seekable); private URLs."""
    if take.files_deleted_at is not None:
        return []
    sources = []
    for file in (take.rendition, take.remuxed):
        if file:
            kind = "video/mp4" if file.name.lower().endswith(".mp4") else "video/webm"
            sources.append((file.url, kind))
    return sources


@dataclass
class Answer:
    """One question of an attempt with its takes, as the pages show it."""

    position: int
    question: str
    looks_for: str
    max_seconds: int
    takes: list = field(default_factory=list)

    @property
    def chosen(self):
        return next((take for take in self.takes if take.chosen), None)

    @property
    def ready_takes(self):
        return [take for take in self.takes if is_ready(take)]

    @property
    def anchor(self):
        return f"question-{self.position}"


def answers(attempt, takes=None):
    """The attempt's questions in order, each with its takes (`takes`: the takes to
    show, default all of them), each take given `sentences` (its measures in words)
    and `sources` (where to play it), and its transcript when there is one. Three
    queries (questions, takes, transcripts)."""
    questions = list(attempt.interview.questions().values_list("text", "looks_for", "answer_seconds"))
    if takes is None:
        takes = attempt.takes.order_by("position", "number")
    by_position = {}
    for take in takes:
        by_position.setdefault(take.position, []).append(take)
    heard = transcripts.transcribed([take.pk for answers_ in by_position.values() for take in answers_])
    found = []
    for position in sorted(set(range(1, len(questions) + 1)) | by_position.keys()):
        its_takes = by_position.get(position, [])
        if position <= len(questions):
            text, looks_for, max_seconds = questions[position - 1]
        else:  # a question since removed from the set: the take kept its text
            text, looks_for, max_seconds = its_takes[0].question_text, "", 120
        for take in its_takes:
            measures = delivery_measures(take.measures)
            take.sentences = describe(measures, max_seconds=max_seconds) if measures else []
            take.sources = video_sources(take)
            take.transcript_lines, take.captions_url = [], ""
            if (transcript := heard.get(take.pk)) is not None:
                take.sentences += transcripts.describe(transcript)
                take.transcript_lines = transcripts.lines(transcript)
                take.transcript_text = transcript.corrected_text or transcript.text
                take.transcript_corrected = bool(transcript.corrected_text)
                take.captions_url = reverse("interviews:take_captions", args=[take.pk])
        found.append(Answer(position, text, looks_for, max_seconds, its_takes))
    return found


def criteria_of(interview):
    """The criteria of the interview's grid, in order (one query)."""
    return list(RubricCriterion.objects.filter(rubric_id=interview.rubric_id).order_by("sort_order"))


# ---------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------
def question_field(position):
    return f"question_{position}"


def criterion_field(criterion):
    return f"criterion_{criterion.pk}"


def sending_problems(answers_, criteria, self_assessment, chosen):
    """{form field name: message} of what keeps the attempt from being sent: every
    question needs a chosen take that is ready, every criterion a level.

    `chosen` is {position: take id}, `self_assessment` {criterion id (str): level}.
    """
    problems = {}
    for answer in answers_:
        name, number = question_field(answer.position), {"number": answer.position}
        take = next((take for take in answer.takes if take.pk == chosen.get(answer.position)), None)
        if not answer.takes:
            problems[name] = _("Record an answer to question %(number)s before sending.") % number
        elif take is None:
            problems[name] = _("Choose the answer you send for question %(number)s.") % number
        elif take.status == ProcessingStatus.FAILED or take.files_deleted_at is not None:
            problems[name] = (
                _(
                    "The answer chosen for question %(number)s cannot be played: choose another one or record it again."
                )
                % number
            )
        elif not is_ready(take):
            problems[name] = (
                _(
                    "The answer chosen for question %(number)s is still being prepared: wait a moment, then send."
                )
                % number
            )
    for criterion in criteria:
        if self_assessment.get(str(criterion.pk)) not in RubricCriterion.LEVELS:
            problems[criterion_field(criterion)] = _("Choose your level for “%(criterion)s”.") % {
                "criterion": criterion.name
            }
    return problems


class NotSent(ValueError):
    """The attempt cannot be sent: `problems` is {form field name: message}."""

    def __init__(self, problems):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def _choose(attempt, takes, chosen):
    """Mark the takes of `chosen` ({position: take id}, ids of `takes`) as the ones sent;
    unmark the others first (one chosen take per question, a database constraint)."""
    wanted = {take.pk for take in takes if chosen.get(take.position) == take.pk}
    Take.objects.filter(attempt=attempt, chosen=True).exclude(pk__in=wanted).update(chosen=False)
    Take.objects.filter(attempt=attempt, pk__in=wanted, chosen=False).update(chosen=True)


def _clean_assessment(criteria, self_assessment):
    known = {str(criterion.pk) for criterion in criteria}
    return {
        key: level
        for key, level in (self_assessment or {}).items()
        if key in known and level in RubricCriterion.LEVELS
    }


def _locked_open(attempt):
    locked = Attempt.objects.select_for_update(of=("self",)).select_related("interview").get(pk=attempt.pk)
    if locked.is_sent:
        raise ValueError(
            _("This attempt was already sent to your counsellor: start a new one to practise again.")
        )
    return locked


def save_draft(attempt, *, self_assessment, notes, chosen):
    """Keep what the seeker has filled in so far (levels, notes, takes chosen) without
    sending: nothing is required."""
    with transaction.atomic():
        locked = _locked_open(attempt)
        criteria = criteria_of(locked.interview)
        takes = list(locked.takes.all())
        _choose(locked, takes, chosen)
        locked.self_assessment = _clean_assessment(criteria, self_assessment)
        locked.notes = (notes or "")[:NOTES_MAX_LENGTH]
        locked.save(update_fields=["self_assessment", "notes"])
    return locked


def submit(attempt, *, self_assessment, notes, chosen, now=None):
    """Send `attempt` to the seeker's counsellor: `self_assessment` {criterion id (str):
    level}, free `notes`, `chosen` {position: take id}, one ready take per question.

    Raises NotSent (with a message per form field) when something is missing, and
    ValueError when the attempt was already sent (a second tab, a double click: the
    row lock makes the second request wait, then see the first one's sending).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_open(attempt)
        criteria = criteria_of(locked.interview)
        found = answers(locked)
        problems = sending_problems(found, criteria, self_assessment, chosen)
        if problems:
            raise NotSent(problems)
        _choose(locked, [take for answer in found for take in answer.takes], chosen)
        locked.self_assessment = _clean_assessment(criteria, self_assessment)
        locked.notes = (notes or "")[:NOTES_MAX_LENGTH]
        locked.submitted_at = now
        locked.save(update_fields=["self_assessment", "notes", "submitted_at"])
        log.record(
            locked.seeker,
            "interview.submitted",
            target=locked.interview,
            when=now,
            attempt=locked.number,
            answers=len(found),
        )
    return locked


def delete_attempt(attempt, *, now=None):
    """Delete a whole attempt of the seeker's: its takes (their files go once
    committed), its self-assessment and its review. The log keeps that it happened."""
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",)).select_related("interview").get(pk=attempt.pk)
        )
        number, interview, seeker = locked.number, locked.interview, locked.seeker
        locked.delete()
        log.record(seeker, "interview.attempt_deleted", target=interview, when=now, attempt=number)


# ---------------------------------------------------------------------------
# History: the measures across attempts
# ---------------------------------------------------------------------------
@dataclass
class TrendRow:
    """What the measures say of one attempt, over the answers it holds (the takes sent,
    or, before sending, the latest ready take of each question)."""

    attempt: Attempt
    measured: int = 0  # answers with measures
    speaking_time: float = 0.0  # in all, seconds
    long_pauses: int = 0  # in all
    leading_silence: float = 0.0  # in all, seconds

    @property
    def long_pauses_per_answer(self):
        return self.long_pauses / self.measured if self.measured else None

    @property
    def average_leading_silence(self):
        return self.leading_silence / self.measured if self.measured else None

    def speaking_time_label(self):
        return format_duration(self.speaking_time)

    def leading_silence_label(self):
        return format_duration(self.average_leading_silence or 0.0)


def trend(attempts, takes):
    """TrendRows of `attempts` (oldest first), from `takes` (the takes of those
    attempts, any order)."""
    by_attempt = {}
    for take in sorted(takes, key=lambda take: (take.attempt_id, take.position, take.number)):
        if not take.measures:
            continue
        counted = by_attempt.setdefault(take.attempt_id, {})
        current = counted.get(take.position)
        if current is None or not current.chosen:
            counted[take.position] = take  # the chosen one, else the latest
    rows = []
    for attempt in sorted(attempts, key=lambda attempt: attempt.number):
        row = TrendRow(attempt)
        for take in by_attempt.get(attempt.pk, {}).values():
            measures = delivery_measures(take.measures)
            if measures is None:
                continue
            row.measured += 1
            row.speaking_time += measures.speaking_time
            row.long_pauses += len(measures.long_pauses)
            row.leading_silence += measures.leading_silence
        rows.append(row)
    return rows
