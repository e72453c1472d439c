"""Quizzes are graded on the server: the page never holds the right answers."""

import pytest
from django.http import QueryDict

from activity.models import ActivityEntry
from courses import quiz as grading
from courses.models import CompletedBy, LessonProgress, QuizAttempt
from tests.factories import courses as build
from tests.factories.courses import QUIZ, QUIZ_RIGHT, QUIZ_WRONG


@pytest.fixture
def quiz_lesson(client, course, seeker):
    client.force_login(seeker)
    client.post(course.url + "inscription/")
    return build.lessons_of(course)[1]


def answers(lesson, choice):
    quiz_id = build.quiz_id(lesson)
    return {f"quiz-{quiz_id}-{question}": values for question, values in choice.items()}


def submit(client, lesson, choice):
    quiz_id = build.quiz_id(lesson)
    return client.post(f"{lesson.url}quiz/{quiz_id}/", answers(lesson, choice))


@pytest.mark.django_db
def test_the_page_shows_questions_but_neither_right_answers_nor_feedback(client, quiz_lesson):
    html = client.get(quiz_lesson.url).content.decode()
    assert "Combien de semaines dure un MOOC ?" in html and "Quatre" in html
    for secret in ("correct", "Oui, quatre semaines.", "Non : c’est plus long.", "Jamais."):
        assert secret not in html
    # Answers are named by position only: both options of question 1 look alike.
    assert 'value="0-0"' in html and 'value="0-1"' in html


@pytest.mark.django_db
def test_a_wrong_attempt_is_recorded_with_feedback_and_can_be_retried(client, quiz_lesson, seeker):
    response = submit(client, quiz_lesson, QUIZ_WRONG)
    assert response.status_code == 302
    assert response.url.endswith(f"#quiz-{build.quiz_id(quiz_lesson)}-result")

    html = client.get(quiz_lesson.url).content.decode()
    assert "Non : c’est plus long." in html  # the feedback of the answer chosen
    assert "Oui, quatre semaines." not in html  # not the one of the answer not chosen
    assert "Bonnes réponses : 0 sur 2" in html
    attempt = QuizAttempt.objects.get(seeker=seeker)
    assert (attempt.score, attempt.passed) == (0, False)
    assert not LessonProgress.objects.get(seeker=seeker, lesson=quiz_lesson).is_done
    assert ActivityEntry.objects.filter(seeker=seeker, verb="course.quiz_failed").count() == 1

    submit(client, quiz_lesson, QUIZ_RIGHT)
    assert QuizAttempt.objects.filter(seeker=seeker).count() == 2
    progress = LessonProgress.objects.get(seeker=seeker, lesson=quiz_lesson)
    assert progress.is_done and progress.completed_by == CompletedBy.QUIZ
    assert ActivityEntry.objects.filter(seeker=seeker, verb="course.quiz_passed", data__score=100).exists()
    assert ActivityEntry.objects.filter(seeker=seeker, verb="course.lesson_done").count() == 1


@pytest.mark.django_db
def test_a_lesson_with_a_quiz_cannot_be_marked_done_by_hand(client, quiz_lesson, seeker):
    client.post(f"{quiz_lesson.url}terminee/")
    assert not LessonProgress.objects.filter(
        seeker=seeker, lesson=quiz_lesson, completed_at__isnull=False
    ).exists()


@pytest.mark.django_db
def test_an_unknown_quiz_is_404_and_a_get_is_refused(client, quiz_lesson):
    assert client.post(f"{quiz_lesson.url}quiz/00000000-0000-0000-0000-000000000000/", {}).status_code == 404
    assert client.get(f"{quiz_lesson.url}quiz/{build.quiz_id(quiz_lesson)}/").status_code == 405


def form(data):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def test_grading_requires_exactly_the_right_answers():
    qid = "x"
    half = grading.grade(
        QUIZ, grading.parse_choices(form({"quiz-x-q0": ["0-1"], "quiz-x-q1": ["1-0"]}), qid, QUIZ)
    )
    assert (half.score, half.right, half.passed) == (50, 1, True)  # pass mark 50 %
    full = grading.grade(
        QUIZ, grading.parse_choices(form({"quiz-x-q0": ["0-1"], "quiz-x-q1": ["1-0", "1-1"]}), qid, QUIZ)
    )
    assert full.score == 100
    too_many = grading.parse_choices(form({"quiz-x-q1": ["1-0", "1-1", "1-2"]}), qid, QUIZ)
    assert not grading.grade(QUIZ, too_many).questions[1].correct


def test_forged_values_cannot_score_more_than_honest_ones():
    forged = form({"quiz-x-q0": ["0-0", "0-1"], "quiz-x-q1": ["0-1", "1-9", "1-x", "1-0"]})
    chosen = grading.parse_choices(forged, "x", QUIZ)
    # Two answers to a single-choice question count as none; foreign values are dropped.
    assert chosen == {0: set(), 1: {0}}
    assert grading.grade(QUIZ, chosen).score == 0
