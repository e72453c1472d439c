"""The attestation (PDF and public verification) and the end-of-course survey."""

import io

import pytest
from pypdf import PdfReader

from courses.models import Attestation, Enrolment, SurveyResponse
from tests.factories import SeekerFactory
from tests.factories import courses as build
from tests.factories.courses import QUIZ_RIGHT


def complete(client, course):
    for lesson in build.lessons_of(course):
        if lesson.has_quiz:
            quiz_id = build.quiz_id(lesson)
            data = {f"quiz-{quiz_id}-{question}": values for question, values in QUIZ_RIGHT.items()}
            client.post(f"{lesson.url}quiz/{quiz_id}/", data)
        else:
            client.post(f"{lesson.url}terminee/")


@pytest.fixture
def short_course(catalogue):
    return build.course(catalogue, "Une semaine pour son CV", weeks=1, lessons=2)


@pytest.fixture
def completed(client, short_course, seeker):
    client.force_login(seeker)
    client.post(short_course.url + "inscription/")
    complete(client, short_course)
    return Enrolment.objects.get(seeker=seeker, course=short_course)


def pdf_text(response):
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )


@pytest.mark.django_db
def test_no_attestation_before_completion(client, short_course, seeker):
    client.force_login(seeker)
    client.post(short_course.url + "inscription/")
    client.post(f"{build.lessons_of(short_course)[0].url}terminee/")
    assert client.get(f"{short_course.url}attestation/").status_code == 404
    assert not Attestation.objects.exists()


@pytest.mark.django_db
def test_the_attestation_pdf_names_the_seeker_the_course_and_its_code(
    client, short_course, seeker, completed
):
    assert completed.completed_at is not None
    attestation = Attestation.objects.get(seeker=seeker, course=short_course)
    assert attestation.code in client.get(short_course.url).content.decode()

    response = client.get(f"{short_course.url}attestation/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response)
    assert seeker.get_full_name() in text
    assert attestation.code in text
    assert "Une semaine pour son CV" in text
    assert "2 heures" in text


@pytest.mark.django_db
def test_anyone_can_check_a_code_and_sees_only_the_attestation(client, seeker, completed):
    attestation = Attestation.objects.get(seeker=seeker)
    client.logout()
    response = client.get(f"/attestations/{attestation.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert seeker.get_full_name() in html and attestation.course_title in html
    assert seeker.email not in html
    assert response["X-Robots-Tag"] == "noindex"

    # Typed by hand: lower case, spaces, no dashes.
    typed = attestation.code.replace("-", " ").lower()
    assert client.get("/attestations/", {"code": typed}).url == f"/attestations/{attestation.code}/"
    assert client.get("/attestations/ZZZZ-ZZZZ-ZZZZ/").status_code == 404
    assert "12" in client.get("/attestations/", {"code": "abc"}).content.decode()


@pytest.mark.django_db
def test_another_seeker_gets_no_attestation_for_a_course_they_did_not_complete(
    client, short_course, completed
):
    client.force_login(SeekerFactory())
    assert client.get(f"{short_course.url}attestation/").status_code == 404


@pytest.mark.django_db
def test_the_survey_is_offered_after_completion_and_can_be_changed(client, short_course, seeker, completed):
    url = f"{short_course.url}avis/"
    response = client.post(url, {"rating": "9", "comment": ""})
    assert response.status_code == 200 and not SurveyResponse.objects.exists()
    client.post(url, {"rating": "4", "comment": "Clair et utile."})
    client.post(url, {"rating": "5", "comment": "Très utile."})
    answer = SurveyResponse.objects.get()
    assert (answer.rating, answer.comment, answer.seeker) == (5, "Très utile.", seeker)


@pytest.mark.django_db
def test_the_survey_is_closed_before_completion(client, short_course, seeker):
    client.force_login(seeker)
    client.post(short_course.url + "inscription/")
    assert client.post(f"{short_course.url}avis/", {"rating": "5"}).status_code == 404


@pytest.mark.django_db
def test_editors_see_the_survey_aggregated_per_course(client, catalogue, short_course, editor, seeker):
    other = build.course(catalogue, "Autre MOOC", weeks=1)
    for rating, course in ((5, short_course), (3, short_course), (4, short_course), (2, other)):
        SurveyResponse.objects.create(
            course=course, seeker=SeekerFactory(), rating=rating, comment=f"Note {rating}"
        )
    summary = {row["course__title"]: row for row in SurveyResponse.objects.summary_by_course()}
    assert summary["Une semaine pour son CV"]["answers"] == 3
    assert summary["Une semaine pour son CV"]["mean"] == pytest.approx(4.0)
    assert summary["Une semaine pour son CV"]["rated_5"] == 1
    assert summary["Autre MOOC"]["rated_2"] == 1

    client.force_login(editor)
    html = client.get("/admin/reports/mooc-survey/").content.decode()
    assert "Une semaine pour son CV" in html and "4,0" in html and "Note 3" in html

    client.force_login(seeker)
    assert client.get("/admin/reports/mooc-survey/").status_code in (302, 403)


@pytest.mark.django_db
def test_deleting_the_account_keeps_the_rating_but_not_the_author_nor_the_words(client, seeker, completed):
    from core.privacy import delete_user, export_user_data

    client.post(f"{completed.course.url}avis/", {"rating": "4", "comment": "Je m'appelle Jean"})
    exported = export_user_data(seeker)["courses"]
    assert exported["attestations"][0]["course_title"] == "Une semaine pour son CV"
    assert exported["survey"][0]["rating"] == 4
    delete_user(seeker)
    answer = SurveyResponse.objects.get()
    assert (answer.seeker, answer.comment, answer.rating) == (None, "", 4)
    assert not Attestation.objects.exists()
