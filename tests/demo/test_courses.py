"""The MOOCs of the demo: catalogue, courses, captioned videos and the seeker's progress."""

import pytest

from accounts.models import User
from courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseTheme,
    CourseWeekPage,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)
from media.captions import check_webvtt
from media.models import Asset, Caption, ProcessingStatus

TITLES = {
    "Définir son projet professionnel",
    "Réussir son CV et sa lettre de motivation",
    "Les réseaux sociaux pour trouver un emploi",
    "Réussir son entretien d'embauche",
}
COUNTED = (
    CoursePage,
    CourseWeekPage,
    LessonPage,
    CourseTheme,
    Asset,
    Caption,
    Enrolment,
    LessonProgress,
    QuizAttempt,
    CourseIndexPage,
)


@pytest.mark.django_db
def test_seed_demo_builds_four_moocs_with_videos_and_the_seekers_progress_once(demo):
    """What the first run builds, and that the second one created nothing twice."""
    output = demo.first_output
    assert "MOOC créé : Définir son projet professionnel" in output

    catalogue = CourseIndexPage.objects.get()
    assert catalogue.live and catalogue.slug == "formations" and catalogue.title == "Formations en ligne"
    courses = CoursePage.objects.live().child_of(catalogue)
    assert {course.title for course in courses} == TITLES

    for course in courses:
        assert course.total_hours == 8 and course.theme is not None
        assert course.summary and course.objectives and course.audience and course.prerequisites
        weeks = CourseWeekPage.objects.live().child_of(course).order_by("path")
        assert [week.specific.number for week in weeks] == [1, 2, 3, 4]
        videos = []
        for week in weeks:
            lessons = LessonPage.objects.live().child_of(week)
            assert 2 <= lessons.count() <= 4
            assert lessons.filter(has_quiz=True).exists(), f"{course.title}, week {week.title}: no quiz"
            for lesson in lessons:
                for block in lesson.body:
                    if block.block_type == "video":
                        videos.append(block.value)
                    if block.block_type == "quiz":
                        assert 60 <= block.value["pass_mark"] <= 70
                        assert 2 <= len(block.value["questions"]) <= 4
        captioned = [
            video
            for video in videos
            if video["video"].status == ProcessingStatus.READY and video["video"].has_caption("fr")
        ]
        assert captioned, f"{course.title}: no captioned video"
        asset = captioned[0]["video"]
        assert asset.type == "video" and asset.rendition_360 and asset.poster and 7 < asset.duration < 15
        assert captioned[0]["transcript"]
        with asset.caption_for("fr").file.open("rb") as captions:
            assert check_webvtt(captions.read()) >= 2

    seeker = User.objects.get(email="demandeur@tremplin.test")
    enrolments = Enrolment.objects.filter(seeker=seeker)
    assert enrolments.count() == 2
    assert not enrolments.filter(completed_at__isnull=False).exists()
    assert LessonProgress.objects.filter(seeker=seeker, completed_at__isnull=False).count() >= 3
    assert QuizAttempt.objects.filter(seeker=seeker, passed=True).count() == 1
    for enrolment in enrolments:
        assert not enrolment.check_completion()
        assert enrolment.last_lesson is not None
        assert not enrolment.course.progress_for(seeker).is_done

    output = demo.second_output
    assert {model: model.objects.count() for model in COUNTED} == demo.counts_before(*COUNTED)
    assert "MOOC créé" not in output
