"""The mock interview pages: their place in the tree, an editor writing one with the
snippet choosers, and what a visitor and a seeker see."""

import pytest
from wagtail.models import WorkflowState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from ateliers.models import AtelierIndexPage
from core.models import HomePage
from courses.models import CourseIndexPage
from interviews.models import Decision, MockInterviewIndexPage, MockInterviewPage
from tests.factories import interviews as build


class PageTreeRulesTest(WagtailPageTestCase):
    def test_each_page_type_has_its_one_place(self):
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage, AtelierIndexPage, MockInterviewIndexPage})
        self.assertAllowedSubpageTypes(MockInterviewIndexPage, {MockInterviewPage})
        self.assertAllowedSubpageTypes(MockInterviewPage, set())
        self.assertAllowedParentPageTypes(MockInterviewPage, {MockInterviewIndexPage})
        self.assertCanNotCreateAt(HomePage, MockInterviewPage)


@pytest.mark.django_db
def test_an_editor_writes_an_interview_choosing_its_questions_and_grid(client, editor, home_page):
    index = build.index(home_page)
    questions, grid = build.question_set(), build.rubric()
    client.force_login(editor)
    url = f"/admin/pages/add/interviews/mockinterviewpage/{index.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    assert "/admin/snippets/choose/interviews/questionset/" in form.content.decode()

    response = client.post(
        url,
        nested_form_data(
            {
                "title": "Entretien : vendeur ou vendeuse",
                "slug": "vendeur",
                "job_family": "sales",
                "level": "first",
                "duration_minutes": "40",
                "introduction": "Trois questions posées en magasin.",
                "question_set": str(questions.pk),
                "rubric": str(grid.pk),
                "advice": streamfield([("paragraph", rich_text("<p>Souriez, regardez la caméra.</p>"))]),
                "action-submit": "Submit",
            }
        ),
    )

    assert response.status_code == 302
    page = MockInterviewPage.objects.get(slug="vendeur")
    # Sent to moderation, like any page an editor writes.
    assert (page.live, page.question_set, page.rubric, page.job_family) == (False, questions, grid, "sales")
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == WorkflowState.STATUS_IN_PROGRESS
    assert [question.text for question in page.questions()] == list(build.QUESTIONS)
    preview = client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert preview.status_code == 200
    assert "Souriez, regardez la caméra." in preview.content.decode()


@pytest.mark.django_db
def test_a_used_question_set_cannot_be_deleted(client, editor, interview):
    client.force_login(editor)
    url = f"/admin/snippets/interviews/questionset/delete/{interview.question_set_id}/"
    client.post(url)
    assert MockInterviewPage.objects.get(pk=interview.pk).question_set_id is not None


@pytest.mark.django_db
def test_a_visitor_reads_the_introduction_questions_and_advice(client, home_page):
    page = build.interview(
        home_page,
        advice=[
            {
                "type": "callout",
                "value": {"kind": "tip", "title": "Le regard", "text": "<p>Fixez la caméra.</p>"},
            }
        ],
    )

    response = client.get(page.url)

    content = response.content.decode()
    assert response.status_code == 200
    assert page.introduction.replace("'", "&#x27;") in content
    assert "3 questions" in content
    # Three questions: 30 s to think and 2 min to answer each, 7 min 30 at most.
    assert "8 minutes d’enregistrement au plus" in content
    assert "Fixez la caméra." in content
    assert "Me connecter pour commencer" in content
    assert "Mes essais" not in content

    index = client.get(page.get_parent().url)
    assert page.title.replace("'", "&#x27;") in index.content.decode()


@pytest.mark.django_db
def test_a_seeker_sees_their_attempts_and_nobody_elses(client, counsellor, seeker, other_seeker, interview):
    first = build.send(build.started(seeker, interview, takes=3))
    build.review(first, counsellor, Decision.PRACTISE_AGAIN)
    build.started(seeker, interview, takes=2)
    build.started(other_seeker, interview, takes=1)
    client.force_login(seeker)

    response = client.get(interview.url)

    content = response.content.decode()
    assert [attempt.number for attempt in response.context["attempts"]] == [2, 1]
    assert "Essai 2" in content and "2 questions sur 3 enregistrées" in content
    assert "Votre conseillère ou conseiller vous conseille de vous entraîner encore" in content
    assert "1 question sur 3" not in content  # the other seeker's attempt
    assert "no-store" in response["Cache-Control"]
