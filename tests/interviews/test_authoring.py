"""Editors write question sets and assessment grids in Wagtail's admin; seekers and
counsellors never reach them."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from interviews.models import InterviewQuestion, QuestionSet, Rubric

ADD_SET = "/admin/snippets/interviews/questionset/add/"
ADD_RUBRIC = "/admin/snippets/interviews/rubric/add/"


def question_set_form(*questions, title="Entretien : les questions classiques"):
    return nested_form_data(
        {
            "title": title,
            "job_family": "all",
            "questions": inline_formset(
                [
                    {
                        "text": text,
                        "looks_for": "",
                        "tips": "",
                        "think_seconds": "30",
                        "answer_seconds": "120",
                    }
                    for text in questions
                ]
            ),
        }
    )


@pytest.mark.django_db
def test_an_editor_writes_a_question_set_whose_questions_keep_their_order(client, editor):
    client.force_login(editor)
    assert client.get(ADD_SET).status_code == 200
    data = question_set_form("Présentez-vous.", "Pourquoi ce poste ?", "Vos qualités ?")
    # The editor dragged the last question to the top.
    data["questions-2-ORDER"], data["questions-0-ORDER"] = "0", "2"

    response = client.post(ADD_SET, data)

    assert response.status_code == 302
    question_set = QuestionSet.objects.get()
    assert [question.text for question in question_set.questions.all()] == [
        "Vos qualités ?",
        "Pourquoi ce poste ?",
        "Présentez-vous.",
    ]
    first = question_set.questions.first()
    assert (first.think_seconds, first.answer_seconds, first.video) == (30, 120, None)

    edit = f"/admin/snippets/interviews/questionset/edit/{question_set.pk}/"
    assert client.get(edit).status_code == 200


@pytest.mark.django_db
def test_a_question_set_needs_a_question_and_answers_of_sensible_length(client, editor):
    client.force_login(editor)
    assert client.post(ADD_SET, question_set_form()).status_code == 200
    data = question_set_form("Présentez-vous.")
    data["questions-0-answer_seconds"] = "5"
    assert client.post(ADD_SET, data).status_code == 200
    assert not QuestionSet.objects.exists()


@pytest.mark.django_db
def test_an_editor_writes_an_assessment_grid_with_four_levels_per_criterion(client, editor):
    client.force_login(editor)
    levels = {f"level_{n}": f"Niveau {n}" for n in range(1, 5)}
    data = nested_form_data(
        {
            "title": "Grille d'entretien",
            "criteria": inline_formset([{"name": "Posture", **levels}, {"name": "Clarté", **levels}]),
        }
    )

    assert client.post(ADD_RUBRIC, data).status_code == 302

    rubric = Rubric.objects.get()
    assert [criterion.name for criterion in rubric.criteria.all()] == ["Posture", "Clarté"]
    assert [level for level, _label, _text in rubric.criteria.first().levels()] == [1, 2, 3, 4]
    assert rubric.criteria.first().levels()[3][2] == "Niveau 4"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["seeker", "counsellor", "manager"])
def test_seekers_and_counsellors_cannot_write_questions(client, role, request):
    client.force_login(request.getfixturevalue(role))

    for url in (ADD_SET, ADD_RUBRIC):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/admin/login/")
    response = client.post(ADD_SET, question_set_form("Présentez-vous."))

    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert not InterviewQuestion.objects.exists()
