"""Course page trees for tests and benchmarks: a catalogue, courses, weeks and lessons."""

from courses.models import CourseIndexPage, CoursePage, CourseWeekPage, LessonPage

QUIZ = {
    "title": "Vérifiez vos connaissances",
    "pass_mark": 50,
    "questions": [
        {
            "text": "Combien de semaines dure un MOOC ?",
            "multiple": False,
            "answers": [
                {"text": "Deux", "correct": False, "feedback": "Non : c’est plus long."},
                {"text": "Quatre", "correct": True, "feedback": "Oui, quatre semaines."},
            ],
        },
        {
            "text": "Que contient une leçon ?",
            "multiple": True,
            "answers": [
                {"text": "Du texte", "correct": True, "feedback": "Bien vu."},
                {"text": "Une vidéo", "correct": True, "feedback": "Souvent."},
                {"text": "Une facture", "correct": False, "feedback": "Jamais."},
            ],
        },
    ],
}

# The form values of QUIZ's right answers: question 0 → answer 1; question 1 → answers 0, 1.
QUIZ_RIGHT = {"q0": ["0-1"], "q1": ["1-0", "1-1"]}
QUIZ_WRONG = {"q0": ["0-0"], "q1": ["1-2"]}


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def catalogue(home):
    return publish(home, CourseIndexPage(title="Formations", slug="formations"))


def lesson_body(title, *, quiz=False):
    body = [
        {"type": "heading", "value": {"text": title, "level": "h2"}},
        {"type": "paragraph", "value": f"<p>Le contenu de la leçon « {title} ».</p>"},
    ]
    if quiz:
        body.append({"type": "quiz", "value": QUIZ})
    return body


def course(index, title="Réussir son entretien", *, weeks=4, lessons=2, quiz_last=True, **fields):
    """A published course of `weeks` weeks of `lessons` lessons; with `quiz_last`, each
    week's last lesson holds QUIZ."""
    page = publish(
        index,
        CoursePage(title=title, summary=f"Résumé de {title}.", total_hours=2 * weeks, **fields),
    )
    for number in range(1, weeks + 1):
        week = publish(page, CourseWeekPage(title=f"Semaine {number}", number=number))
        for position in range(1, lessons + 1):
            with_quiz = quiz_last and position == lessons
            name = f"Leçon {number}.{position}"
            publish(week, LessonPage(title=name, body=lesson_body(name, quiz=with_quiz)))
    return page


def lessons_of(course_page):
    return list(LessonPage.objects.live().descendant_of(course_page).order_by("path"))


def quiz_id(lesson):
    return next(iter(lesson.quizzes()))
