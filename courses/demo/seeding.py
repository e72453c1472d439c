"""The demo's MOOCs in the site: the catalogue, its themes, the four courses with their
weeks, lessons and introduction videos; and the demo seeker's enrolments and progress.
Idempotent: what exists already is kept.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from accounts.demo import EDITOR_EMAIL, SEEKER_EMAIL
from accounts.models import User
from core.models import HomePage

from ..models import (
    CompletedBy,
    CourseIndexPage,
    CoursePage,
    CourseTheme,
    CourseWeekPage,
    Enrolment,
    LessonPage,
    LessonProgress,
    Pacing,
    QuizAttempt,
)
from ..quiz import grade
from . import markup
from .content import COURSES, HOW_IT_WORKS, INDEX_INTRO, THEMES
from .videos import introduction_videos


def _add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _welcome_body(course, asset):
    intro = f"Bienvenue ! {course['summary']}"
    body = [{"type": "paragraph", "value": f"<p>{escape(intro)}</p>"}]
    if asset is not None:
        video = {
            "video": asset.pk,
            "caption": "Présentation du MOOC, avec sous-titres en français.",
            "transcript": " ".join(course["speech"]),
        }
        body.append({"type": "video", "value": video})
    return body + markup.body(HOW_IT_WORKS)


def _create_course(index, course, asset, out):
    theme = CourseTheme.objects.get(slug=course["theme"])
    page = _add(
        index,
        CoursePage(
            title=course["title"],
            slug=course["slug"],
            summary=course["summary"],
            objectives=markup.html_list(course["objectives"]),
            audience=course["audience"],
            prerequisites=course["prerequisites"],
            total_hours=8,
            theme=theme,
            pacing=Pacing.SELF_PACED,
        ),
    )
    lessons = 0
    for number, (week_title, goals, week_lessons, questions) in enumerate(course["weeks"], start=1):
        week = _add(
            page,
            CourseWeekPage(
                title=week_title,
                slug=f"semaine-{number}",
                number=number,
                goals=markup.html_list(goals.split("|")),
                estimated_minutes=120,
            ),
        )
        contents = [(title, markup.body(text), 45) for title, text in week_lessons]
        if number == 1:
            contents.insert(0, ("Bienvenue dans le MOOC", _welcome_body(course, asset), 15))
        contents.append(("Le quiz de la semaine", markup.quiz(number, questions), 15))
        for title, body, minutes in contents:
            _add(
                week, LessonPage(title=title, slug=slugify(title)[:50], body=body, estimated_minutes=minutes)
            )
            lessons += 1
    video = "une vidéo sous-titrée" if asset else "sans vidéo"
    out(f"MOOC créé : {course['title']} (4 semaines, {lessons} leçons, {video}).")
    return page


# ---------------------------------------------------------------------------
# The demo seeker's progress
# ---------------------------------------------------------------------------
def _lessons(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def _progress(seeker, course, lessons, seen_days_ago, done_days_ago):
    """The first lessons seen and done so many days ago (done None: seen only); returns
    the last lesson seen."""
    now = timezone.now()
    last = None
    for lesson, seen, done in zip(lessons, seen_days_ago, done_days_ago, strict=False):
        seen_at = now - timedelta(days=seen) + timedelta(minutes=10)  # after the enrolment
        watched = 100 if done is not None and any(block.block_type == "video" for block in lesson.body) else 0
        defaults = {
            "course": course,
            "first_seen_at": seen_at,
            "last_seen_at": seen_at,
            "video_percent": watched,
        }
        progress, created = LessonProgress.objects.get_or_create(
            seeker=seeker, lesson=lesson, defaults=defaults
        )
        if created and done is not None:
            done_at = now - timedelta(days=done) + timedelta(minutes=40)
            if lesson.has_quiz:
                quiz_id, quiz = next(iter(lesson.quizzes().items()))
                chosen = {
                    number: {index for index, answer in enumerate(question["answers"]) if answer["correct"]}
                    for number, question in enumerate(quiz["questions"])
                }
                QuizAttempt.objects.record(seeker, lesson, quiz_id, chosen, grade(quiz, chosen), now=done_at)
                progress.complete(CompletedBy.QUIZ, now=done_at)
            else:
                progress.complete(CompletedBy.SEEKER, now=done_at)
        last = lesson
    return last


def _seed_progress(seeker, courses, out):
    now = timezone.now()
    plans = [
        # course, enrolled days ago, lessons seen (days ago), lessons done (days ago, None = not done)
        (COURSES[0]["slug"], 9, [9, 8, 7, 2, 1], [9, 8, 7, 2, None]),
        (COURSES[1]["slug"], 3, [3, 2], [3, None]),
    ]
    for slug, enrolled_days_ago, seen, done in plans:
        course = courses.get(slug)
        if course is None:
            continue
        enrolment, created = Enrolment.objects.enrol(
            seeker, course, now=now - timedelta(days=enrolled_days_ago)
        )
        if not created:
            continue
        enrolment.last_lesson = _progress(seeker, course, _lessons(course), seen, done)
        enrolment.save(update_fields=["last_lesson"])
        out(f"{seeker} inscrit au MOOC « {course.title} », avec une progression en cours.")


def seed(out):
    """Add the demo's MOOCs (seed_demo calls it with its output's `write`)."""
    home = HomePage.objects.first()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = _add(
            home,
            CourseIndexPage(
                title="Formations en ligne", slug="formations", intro=INDEX_INTRO, show_in_menus=True
            ),
        )
        out("Catalogue « Formations en ligne » créé.")
    for slug, name in THEMES.items():
        CourseTheme.objects.get_or_create(slug=slug, defaults={"name": name})

    editor = User.objects.filter(email=EDITOR_EMAIL).first()
    courses = {page.slug: page for page in CoursePage.objects.child_of(index)}
    missing = [course for course in COURSES if course["slug"] not in courses]
    if missing:
        with tempfile.TemporaryDirectory(prefix="tremplin-demo-") as work:
            videos = introduction_videos(missing, Path(work), editor, out)
        for course in missing:
            courses[course["slug"]] = _create_course(index, course, videos[course["slug"]], out)
    else:
        out(f"MOOC de démonstration : les {len(COURSES)} sont déjà en ligne.")

    seeker = User.objects.filter(email=SEEKER_EMAIL).first()
    if seeker is not None:
        _seed_progress(seeker, courses, out)
