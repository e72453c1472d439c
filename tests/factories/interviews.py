"""Mock interviews for tests: a question set, a grid, pages, attempts and takes.

page = interview(home_page)                 # index (made once) → interview, 3 questions
attempt = Attempt.objects.start(seeker, page)
take = record(attempt, page.questions()[0]) # a take with a small stored recording
send(attempt)                                # the first take of each question chosen
review(attempt, counsellor, "validated")
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from interviews.models import (
    Attempt,
    Decision,
    MockInterviewIndexPage,
    MockInterviewPage,
    QuestionSet,
    Review,
    Rubric,
    RubricCriterion,
    Take,
)

QUESTIONS = ("Présentez-vous.", "Pourquoi ce poste ?", "Quelles sont vos qualités ?")
CRITERIA = ("Posture", "Clarté", "Motivation")


def question_set(title="Les questions classiques", questions=QUESTIONS):
    found = QuestionSet(title=title)
    for order, text in enumerate(questions):
        found.questions.add(found.questions.model(text=text, looks_for="De la clarté.", sort_order=order))
    found.save()
    return found


def rubric(title="Grille d'entretien", criteria=CRITERIA):
    found = Rubric(title=title)
    for order, name in enumerate(criteria):
        found.criteria.add(
            RubricCriterion(
                sort_order=order,
                name=name,
                level_1="À travailler",
                level_2="En progrès",
                level_3="Bien",
                level_4="Très bien",
            )
        )
    found.save()
    return found


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def index(home_page):
    existing = MockInterviewIndexPage.objects.child_of(home_page).first()
    return existing or publish(home_page, MockInterviewIndexPage(title="Entretiens", slug="entretiens"))


def interview(home_page, title="Entretien d'embauche", *, questions=None, grid=None, **fields):
    return publish(
        index(home_page),
        MockInterviewPage(
            title=title,
            introduction=fields.pop("introduction", f"Entraînez-vous : « {title} »."),
            question_set=questions or question_set(),
            rubric=grid or rubric(),
            **fields,
        ),
    )


def record(attempt, question, *, number=None, content=b"\x1aE\xdf\xa3 webm", **fields):
    """A take of `question` in `attempt`, with a stored recording."""
    position = list(attempt.interview.questions().values_list("pk", flat=True)).index(question.pk) + 1
    if number is None:
        number = Take.objects.filter(attempt=attempt, position=position).count() + 1
    take = Take(
        attempt=attempt,
        question=question,
        position=position,
        question_text=question.text,
        number=number,
        **fields,
    )
    take.recording.save("reponse.webm", ContentFile(content), save=True)
    return take


def send(attempt, *, now=None):
    """Send the attempt, the first take of each question chosen."""
    for position in set(attempt.takes.values_list("position", flat=True)):
        first = attempt.takes.filter(position=position).order_by("number").first()
        Take.objects.filter(pk=first.pk).update(chosen=True)
    attempt.submitted_at = now or timezone.now()
    attempt.save(update_fields=["submitted_at"])
    return attempt


def review(attempt, counsellor, decision=Decision.VALIDATED, *, now=None):
    return Review.objects.create(
        attempt=attempt,
        counsellor=counsellor,
        decision=decision,
        advice="Bonne posture.",
        created_at=now or timezone.now(),
    )


def started(seeker, page, *, takes=1):
    """An attempt with a take for each of the first `takes` questions."""
    attempt = Attempt.objects.start(seeker, page)
    for question in list(page.questions())[:takes]:
        record(attempt, question)
    return attempt
