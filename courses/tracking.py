"""What a seeker's work on a lesson writes: the visit, the lesson done (marked by hand,
by the quizzes passed, by the video watched), the quiz attempts; and, when the last
required lesson is done, the course completed with its attestation
(Enrolment.check_completion).

The lesson views call these with the seeker's `outline` of the course
(courses.outline), which holds their enrolment and the progress rows read already.
"""

from .models import CompletedBy, LessonProgress, QuizAttempt
from .quiz import grade

#: The share of a lesson's video (in percent) that, once watched, completes a lesson
#: without a quiz.
VIDEO_DONE_PERCENT = 90


def progress_row(seeker, outline, lesson, now):
    """The seeker's progress row of `lesson`: the outline's, else read or created."""
    row = outline.progress_rows.get((seeker.pk, lesson.pk))
    if row is None:
        row = LessonProgress.objects.start(seeker, lesson, course=outline.course, now=now)
    return row


def record_visit(seeker, outline, lesson, now):
    """The seeker opens `lesson`: their progress row (created on the first visit), the
    time of the visit and the enrolment's "resume here" lesson. Returns the row."""
    row = progress_row(seeker, outline, lesson, now)
    row.record_visit(now)
    outline.enrolment.resume_at(lesson)
    return row


def complete_lesson(seeker, outline, lesson, how, now):
    """Mark `lesson` done (`how`: CompletedBy); True when this completed the course."""
    return _complete(progress_row(seeker, outline, lesson, now), outline, how, now)


def _complete(row, outline, how, now):
    return row.complete(how, now=now) and outline.enrolment.check_completion(now=now)


def submit_quiz(seeker, outline, lesson, quiz_id, quiz, chosen, now):
    """Grade and record an attempt at the quiz `quiz_id` of `lesson` (`chosen`: from
    courses.quiz.parse_choices); once every quiz of the lesson is passed, the lesson is
    done. Returns (the QuizResult, whether this completed the course)."""
    result = grade(quiz, chosen)
    QuizAttempt.objects.record(seeker, lesson, quiz_id, chosen, result, now=now)
    if not result.passed:
        return result, False
    row = progress_row(seeker, outline, lesson, now)
    other_quizzes = set(lesson.quizzes()) - {quiz_id}
    if QuizAttempt.objects.passed_quiz_ids(seeker, lesson, other_quizzes) != other_quizzes:
        return result, False
    return result, _complete(row, outline, CompletedBy.QUIZ, now)


def record_video(seeker, outline, lesson, percent, now):
    """The seeker watched `percent` (0–100) of the lesson's video; watching
    VIDEO_DONE_PERCENT completes a lesson without a quiz. Returns (percent watched at
    most, whether the lesson is done)."""
    row = progress_row(seeker, outline, lesson, now)
    row.record_video(percent)
    done = row.is_done
    if percent >= VIDEO_DONE_PERCENT and not lesson.has_quiz:
        _complete(row, outline, CompletedBy.VIDEO, now)
        done = True
    return row.video_percent, done
