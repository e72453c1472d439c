"""Quiz grading, on the server: the page never holds the correct answers.

A quiz is the value of a `QuizBlock`: questions, each with answers flagged correct or
not, and a pass mark in percent. A question is right when the chosen answers are
exactly the correct ones (one for a single-choice question).
"""

from dataclasses import dataclass, field


def field_name(quiz_id, question_index):
    return f"quiz-{quiz_id}-q{question_index}"


def parse_choices(data, quiz_id, quiz):
    """{question index: set of answer indexes} from submitted form `data`.

    Unknown or malformed values are ignored, a single-choice question keeps at most
    one answer: a forged form cannot score more than an honest one.
    """
    chosen = {}
    for q_index, question in enumerate(quiz["questions"]):
        values = data.getlist(field_name(quiz_id, q_index))
        picked = set()
        for value in values:
            prefix, _sep, rest = value.partition("-")
            if prefix == str(q_index) and rest.isdigit() and int(rest) < len(question["answers"]):
                picked.add(int(rest))
        if not question["multiple"] and len(picked) > 1:
            picked = set()
        chosen[q_index] = picked
    return chosen


@dataclass
class QuestionResult:
    text: str
    correct: bool
    answered: bool
    feedback: list = field(default_factory=list)


@dataclass
class QuizResult:
    score: int  # percent of questions right
    pass_mark: int
    questions: list

    @property
    def passed(self):
        return self.score >= self.pass_mark

    @property
    def right(self):
        return sum(question.correct for question in self.questions)


def grade(quiz, chosen):
    """Grade `chosen` (from `parse_choices`) against `quiz`; returns a QuizResult."""
    results = []
    for q_index, question in enumerate(quiz["questions"]):
        answers = question["answers"]
        expected = {index for index, answer in enumerate(answers) if answer["correct"]}
        picked = chosen.get(q_index, set())
        feedback = [
            {
                "text": answers[index]["text"],
                "feedback": answers[index]["feedback"],
                "correct": answers[index]["correct"],
            }
            for index in sorted(picked)
        ]
        results.append(
            QuestionResult(
                text=question["text"], correct=picked == expected, answered=bool(picked), feedback=feedback
            )
        )
    score = round(100 * sum(r.correct for r in results) / len(results)) if results else 0
    return QuizResult(score=score, pass_mark=quiz["pass_mark"], questions=results)
