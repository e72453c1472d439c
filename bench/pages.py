"""Benchmark of the MOOC pages (not a test): see bench/README.md.

    .venv/bin/python bench/pages.py [--duration 10] [--rounds 5] [--connections 8]
                                    [--seekers 1000] [--reuse]

On PostgreSQL, with the production settings under gunicorn (site/gunicorn.conf.py),
for logged-in seekers:

1. builds a database of its own (dropped and created again unless --reuse): a
   catalogue of 6 MOOCs of 4 weeks × 3 lessons (headings, paragraphs, a video with
   captions and transcript, exercises, quizzes), then `--seekers` job seekers enrolled
   in one or two MOOCs with their progress (lesson progress rows, quiz attempts);
2. starts gunicorn (2 workers × 4 threads, production settings, static files
   collected and served by whitenoise, sessions in Redis) on a free local port;
3. measures requests per second of three pages with the same load (connections,
   duration), in rounds, each round in another order:
   * the ceiling: the home page (core.HomePage as core.demo seeds it), a plain
     published Wagtail page of the same site with a short StreamField body and no
     query of its own. It goes through the same middleware, session, user, site
     lookup, page routing and base template as the MOOC pages, so what it costs is
     what any page of this site costs; what the MOOC pages cost beyond it is theirs;
   * the catalogue (CourseIndexPage) for a seeker enrolled in two MOOCs;
   * a lesson of week 2 (open, not done yet, with a video) for a seeker who finished
     week 1: the lesson view records the visit (an UPDATE) as it does for real;
   * the home page for a visitor (no session), and for both from a second gunicorn
     with tremplin.settings.bench_minimal (sessions and authentication as the only
     middleware): the yardstick of what Tremplin's middleware costs per request;
4. measures the lesson page's weight on a first visit without its video: the HTML
   and every stylesheet, script, font and image it references (the favicon too),
   but not the video/audio sources, captions and poster of the player. Sizes are
   body bytes (headers are printed apart), compressed as behind nginx with
   site/nginx.conf.example: HTML gzipped on the fly (level 5), static files as the
   .gz files collectstatic wrote (gzip_static), fonts and raster images as they are.

Each page is checked first (status 200, the expected content); the number of SQL
queries one request makes, and Django's CPU time per request (measured in this
process, steadier than requests per second on a shared machine), are printed beside
it. The home page and its yardstick are also requested one at a time, in turns
(`--paired` times each). The last line is
`lesson_ratio=<x> catalogue_ratio=<y> lesson_kb=<z> home_overhead=<h> home_overhead_anon=<a>`:
the ratios are the medians over the rounds of (page rps / home page rps in the same
round); targets: ratios >= 0.7, lesson_kb < 100 (1 KB = 1000 bytes); `h` (a seeker)
and `a` (a visitor) are the home page's p50 over the minimal stack's, one request at a
time (target <= 1.25).

Load: wrk if installed (`apt-get install wrk`), else a Python client (threads, one
keep-alive connection each) in a separate process. Either one shares the machine's
cores with gunicorn and PostgreSQL, the same way for the three pages.
"""

import argparse
import gzip
import http.client
import importlib
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench" / "pages"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tremplin_bench_pages"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
# The yardstick for the home page: the same settings with sessions and authentication
# as the only middleware (a second gunicorn, same database and cache).
MINIMAL_SETTINGS = "tremplin.settings.bench_minimal"
HOST = "127.0.0.1"

COURSES = 6
WEEKS = 4
LESSONS_PER_WEEK = 3
# The measured lesson: week 2, first lesson (the one with a video).
MEASURED_WEEK, MEASURED_LESSON = 2, 1
# The measured seekers (logged in during the run), then the others.
SEEKERS_DOMAIN = "@seekers.tremplin.test"
MEASURED_EMAIL = "measured{}" + SEEKERS_DOMAIN
OTHER_EMAIL = "seeker{}" + SEEKERS_DOMAIN


# ---------------------------------------------------------------------------
# Environment, database, Django
# ---------------------------------------------------------------------------
def bench_env(options, settings_module="tremplin.settings.production"):
    """The environment of the benchmark and of gunicorn: production settings."""
    redis = options.redis.rstrip("/")
    return {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": "bench-pages-not-a-secret-7f3c1e9a2b5d4c8e9f0a1b2c3d4e5f60",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": options.database_url,
        # As in site/env.example.
        "CONN_MAX_AGE": "60",
        "REDIS_URL": f"{redis}/15",
        "CACHE_URL": f"{redis.replace('redis://', 'rediscache://', 1)}/14",
        "EMAIL_URL": "consolemail://",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}",
        "DEFAULT_FROM_EMAIL": "Tremplin <bench@tremplin.test>",
        "STATIC_ROOT": str(BENCH_DIR / "static"),
        "MEDIA_ROOT": str(BENCH_DIR / "uploads"),
        "PRIVATE_MEDIA_ROOT": str(BENCH_DIR / "private"),
        "MEDIA_WORK_DIR": str(BENCH_DIR / "media-jobs"),
        "LOG_LEVEL": "WARNING",
    }


def _maintenance_connection(database_url):
    import psycopg

    parts = urlsplit(database_url)
    conninfo = psycopg.conninfo.make_conninfo(
        host=parts.hostname or "",
        port=str(parts.port or 5432),
        user=parts.username or "",
        password=parts.password or "",
        dbname="postgres",
    )
    return psycopg.connect(conninfo, autocommit=True), parts.path.lstrip("/")


def database_exists(database_url):
    connection, name = _maintenance_connection(database_url)
    with connection:
        return (
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        )


def recreate_database(database_url):
    from psycopg import sql

    connection, name = _maintenance_connection(database_url)
    with connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def flush_redis(env):
    import redis

    for url in (env["REDIS_URL"], env["CACHE_URL"].replace("rediscache://", "redis://", 1)):
        client = redis.Redis.from_url(url)
        try:
            client.flushdb()
        finally:
            client.close()


def setup_django(env):
    sys.path.insert(0, str(BASE_DIR))
    os.environ.update(env)
    import django

    django.setup()


# ---------------------------------------------------------------------------
# Content: a catalogue of MOOCs
# ---------------------------------------------------------------------------
THEMES = [("Projet professionnel", "projet"), ("Candidature", "candidature"), ("Numérique", "numerique")]
COURSE_TITLES = [
    "Définir son projet professionnel",
    "Écrire un CV qui donne envie",
    "Réussir son entretien d'embauche",
    "Chercher un emploi sur Internet",
    "Valoriser ses compétences",
    "Se reconvertir sereinement",
]
SENTENCES = [
    "Prenez le temps de noter ce que vous avez aimé dans vos expériences passées, même courtes.",
    "Un recruteur lit un CV en moins d'une minute : ce qui compte doit sauter aux yeux.",
    "Vos activités bénévoles, associatives ou familiales comptent aussi : elles montrent des compétences.",
    "Listez trois réalisations dont vous êtes fier et, pour chacune, ce que vous avez fait concrètement.",
    "Le marché caché représente une grande partie des embauches : votre réseau est une ressource.",
    "Adaptez chaque candidature à l'offre : reprenez ses mots quand ils décrivent ce que vous savez faire.",
    "Votre conseillère peut relire vos documents et vous aider à préparer vos entretiens.",
    "Un objectif clair et réaliste vous aide à choisir les offres et les formations utiles.",
    "Préparez des exemples précis : une situation, ce que vous avez fait, le résultat obtenu.",
    "Les compétences transférables sont celles que vous pouvez utiliser dans un autre métier.",
    "Renseignez-vous sur l'entreprise avant l'entretien : ses produits, ses clients, ses valeurs.",
    "Avancez à votre rythme : environ deux heures par semaine suffisent pour suivre ce MOOC.",
]


def _text(rng, sentences=4):
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def _paragraph(rng, sentences=4, bold=True):
    text = _text(rng, sentences)
    if bold:
        first, _sep, rest = text.partition(" : ")
        if rest:
            text = f"<b>{first}</b> : {rest}"
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _list(rng, items=4):
    lines = "".join(f"<li>{rng.choice(SENTENCES)}</li>" for _ in range(items))
    return {"type": "paragraph", "value": f"<p>{_text(rng, 1)}</p><ul>{lines}</ul>"}


def _heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def _callout(rng, kind, title):
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": f"<p>{_text(rng, 3)}</p>"}}


def _quiz(rng, questions=5):
    items = []
    for number in range(questions):
        multiple = number % 3 == 2
        answers = []
        for index in range(4):
            correct = index == 0 or (multiple and index == 2)
            answers.append(
                {
                    "text": rng.choice(SENTENCES)[:90],
                    "correct": correct,
                    "feedback": "" if correct else _text(rng, 1),
                }
            )
        rng.shuffle(answers)
        items.append({"text": rng.choice(SENTENCES)[:110], "multiple": multiple, "answers": answers})
    return {
        "type": "quiz",
        "value": {"title": "Vérifiez ce que vous avez retenu", "pass_mark": 70, "questions": items},
    }


def lesson_body(rng, kind, asset_id):
    """Three kinds of lessons: a video lesson, a reading with an exercise, a quiz."""
    if kind == 1:
        return [
            _heading("Ce que vous allez voir"),
            _paragraph(rng, 4),
            {
                "type": "video",
                "value": {
                    "video": asset_id,
                    "caption": "La séquence de la semaine, présentée par votre formatrice.",
                    "transcript": "\n\n".join(_text(rng, 5) for _ in range(4)),
                },
            },
            _heading("À retenir"),
            _list(rng, 4),
            _heading("Pour aller plus loin", "h3"),
            _paragraph(rng, 3),
            _callout(rng, "tip", "Astuce"),
        ]
    if kind == 2:
        return [
            _heading("Pourquoi c'est important"),
            _paragraph(rng, 5),
            _paragraph(rng, 4, bold=False),
            _heading("Comment faire", "h3"),
            _list(rng, 5),
            _callout(rng, "exercise", "À vous de jouer"),
            _heading("En résumé"),
            _paragraph(rng, 3),
        ]
    return [
        _heading("Faisons le point"),
        _paragraph(rng, 4),
        _paragraph(rng, 3, bold=False),
        _quiz(rng),
    ]


def _jpeg(index, width=1200, height=675):
    """A course picture: a soft gradient with a few shapes, as a JPEG."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    hue = (index * 47) % 255
    for y in range(height):
        shade = int(200 * y / height)
        draw.line([(0, y), (width, y)], fill=((hue + shade) % 255, 120 + shade // 4, 255 - shade))
    rng = random.Random(index)
    for _ in range(12):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(30, 160)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(rng.randrange(255), rng.randrange(255), 180))
    data = BytesIO()
    image.save(data, "JPEG", quality=85)
    return data.getvalue()


def build_content():
    """Home page (core.demo), catalogue, MOOCs with weeks and lessons; returns the courses."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from core import demo
    from courses.models import CourseIndexPage, CoursePage, CourseTheme, CourseWeekPage, LessonPage
    from media.models import Asset, Caption, ProcessingStatus

    rng = random.Random(2024)
    home = demo.seed(lambda _message: None)
    index = home.add_child(
        instance=CourseIndexPage(
            title="Se former en ligne",
            slug="formations",
            intro="Des MOOC de quatre semaines, environ deux heures par semaine, à suivre à votre rythme.",
        )
    )
    themes = [CourseTheme.objects.create(name=name, slug=slug) for name, slug in THEMES]
    Image = get_image_model()
    courses = []
    for number, title in enumerate(COURSE_TITLES[:COURSES], start=1):
        image = Image(title=title, file=ImageFile(BytesIO(_jpeg(number)), name=f"mooc-{number}.jpg"))
        image.save()
        course = index.add_child(
            instance=CoursePage(
                title=title,
                slug=f"mooc-{number}",
                summary=_text(rng, 2),
                objectives="<ul>" + "".join(f"<li>{rng.choice(SENTENCES)}</li>" for _ in range(4)) + "</ul>",
                audience=_text(rng, 1),
                prerequisites="Aucun.",
                total_hours=(4, 8, 8, 10, 6, 8)[number - 1],
                theme=themes[number % len(themes)],
                image=image,
            )
        )
        # Videos as the pipeline leaves them: ready, with renditions, poster, captions.
        # (bulk_create: no signal, no job; the files themselves are never read here.)
        assets = Asset.objects.bulk_create(
            [
                Asset(
                    title=f"{title}, semaine {week}",
                    type="video",
                    file=f"media/originals/bench-{number}-{week}.mp4",
                    duration=312.0,
                    width=1280,
                    height=720,
                    status=ProcessingStatus.READY,
                    rendition_360=f"media/renditions/bench-{number}-{week}-360.mp4",
                    rendition_720=f"media/renditions/bench-{number}-{week}-720.mp4",
                    rendition_audio=f"media/renditions/bench-{number}-{week}.m4a",
                    poster=f"media/posters/bench-{number}-{week}.jpg",
                )
                for week in range(1, WEEKS + 1)
            ]
        )
        Caption.objects.bulk_create(
            [
                Caption(asset=asset, language="fr", file=f"media/captions/bench-{asset.pk}.vtt")
                for asset in assets
            ]
        )
        for week_number in range(1, WEEKS + 1):
            week = course.add_child(
                instance=CourseWeekPage(
                    title=f"Semaine {week_number}",
                    slug=f"semaine-{week_number}",
                    number=week_number,
                    goals="<ul><li>"
                    + "</li><li>".join(rng.choice(SENTENCES) for _ in range(3))
                    + "</li></ul>",
                )
            )
            for kind in range(1, LESSONS_PER_WEEK + 1):
                week.add_child(
                    instance=LessonPage(
                        title=f"Leçon {week_number}.{kind}",
                        slug=f"lecon-{kind}",
                        estimated_minutes=(25, 40, 20)[kind - 1],
                        body=lesson_body(rng, kind, assets[week_number - 1].pk),
                    )
                )
        courses.append(course)
    return courses


# ---------------------------------------------------------------------------
# Seekers and their progress: bulk inserts
# ---------------------------------------------------------------------------
FIRST_NAMES = ["Karim", "Sophie", "Nadia", "Lucas", "Inès", "Thomas", "Fatou", "Julien", "Camille", "Yanis"]
LAST_NAMES = ["Benali", "Martin", "Dubois", "Lefèvre", "Morel", "Diallo", "Garcia", "Petit", "Roux", "Nguyen"]


def build_seekers(count, courses, sessions):
    """`count` seekers; the first `sessions` ones are the measured seekers, all in the
    same place: enrolled in MOOC 1 ten days ago (weeks 1 and 2 open), week 1 done,
    the measured lesson started; also enrolled in MOOC 2. The others are enrolled in
    one or two MOOCs at random dates, with the progress of a regular learner."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Modality, Role, SeekerProfile, User
    from courses.models import CompletedBy, Enrolment, LessonPage, LessonProgress, QuizAttempt

    rng = random.Random(7)
    now = timezone.now()
    password = make_password("bench-not-a-real-password")  # one hash for all: seconds, not minutes
    users = User.objects.bulk_create(
        [
            User(
                email=(MEASURED_EMAIL if n < sessions else OTHER_EMAIL).format(n),
                first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)],
                role=Role.SEEKER,
                password=password,
                date_joined=now - timedelta(days=rng.randrange(5, 120)),
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    SeekerProfile.objects.bulk_create(
        [SeekerProfile(user=user, modality=rng.choice(list(Modality))) for user in users], batch_size=1000
    )

    # Lessons per course, in order, with the quiz of each lesson that has one.
    lessons = {}
    for course in courses:
        pages = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
        lessons[course.pk] = [(page, next(iter(page.quizzes()), None)) for page in pages]

    enrolments, progress, attempts = [], [], []

    def follow(user, course, enrolled_at, done_count, started_extra=True, last_lesson=None):
        course_lessons = lessons[course.pk]
        done_count = min(done_count, len(course_lessons))
        completed = done_count == len(course_lessons)
        seen = course_lessons[: done_count + (1 if started_extra and not completed else 0)]
        for position, (page, quiz_id) in enumerate(seen):
            first_seen = min(
                enrolled_at + timedelta(days=position // LESSONS_PER_WEEK * 7, hours=position), now
            )
            is_done = position < done_count
            progress.append(
                LessonProgress(
                    seeker=user,
                    lesson=page,
                    course=course,
                    first_seen_at=first_seen,
                    last_seen_at=first_seen + timedelta(minutes=30),
                    video_percent=100 if is_done else 40,
                    completed_at=first_seen + timedelta(minutes=30) if is_done else None,
                    completed_by=(CompletedBy.QUIZ if quiz_id else CompletedBy.VIDEO) if is_done else "",
                )
            )
            if quiz_id and is_done:
                questions = len(page.quizzes()[quiz_id]["questions"])
                attempts.append(
                    QuizAttempt(
                        seeker=user,
                        lesson=page,
                        quiz_id=quiz_id,
                        answers={str(q): [0] for q in range(questions)},
                        score=80,
                        passed=True,
                        created_at=first_seen + timedelta(minutes=25),
                    )
                )
        last = last_lesson or (seen[-1][0] if seen else None)
        enrolments.append(
            Enrolment(
                seeker=user,
                course=course,
                enrolled_at=enrolled_at,
                completed_at=now - timedelta(days=1) if completed else None,
                last_lesson=last,
            )
        )

    measured = lessons[courses[0].pk][(MEASURED_WEEK - 1) * LESSONS_PER_WEEK + MEASURED_LESSON - 1][0]
    for number, user in enumerate(users):
        if number < sessions:
            follow(user, courses[0], now - timedelta(days=10), LESSONS_PER_WEEK, last_lesson=measured)
            follow(user, courses[1], now - timedelta(days=30), 7)
            continue
        chosen = rng.sample(courses, rng.choice((1, 1, 2)))
        for course in chosen:
            days = rng.randrange(0, 60)
            open_weeks = min(WEEKS, days // 7 + 1)
            # Regular learners keep up; some drop out along the way.
            done = rng.randrange(0, open_weeks * LESSONS_PER_WEEK + 1)
            follow(user, course, now - timedelta(days=days, hours=rng.randrange(24)), done)
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    LessonProgress.objects.bulk_create(progress, batch_size=2000)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    return len(enrolments), len(progress), len(attempts)


def seed(options):
    from django.core.management import call_command
    from django.db import transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    with transaction.atomic():
        courses = build_content()
        enrolments, progress, attempts = build_seekers(options.seekers, courses, options.sessions)
    print(
        f"database: migrated in {migrated - started:.1f} s; {len(courses)} MOOCs of {WEEKS} weeks × "
        f"{LESSONS_PER_WEEK} lessons, {options.seekers} seekers, {enrolments} enrolments, "
        f"{progress} lesson progress rows, {attempts} quiz attempts in {time.perf_counter() - migrated:.1f} s",
        flush=True,
    )


def is_seeded(options):
    """True when the database holds the same seekers, measured ones included."""
    from accounts.models import User

    seekers = User.objects.filter(email__endswith=SEEKERS_DOMAIN)
    return (
        seekers.count() == options.seekers
        and seekers.filter(email__startswith="measured").count() == options.sessions
    )


class Page(NamedTuple):
    """A measured page: its path, a text it must show, for whom, on which server."""

    path: str
    marker: str
    anonymous: bool = False  # no session cookie: a visitor who has not logged in
    minimal: bool = False  # served with the minimal middleware stack (MINIMAL_SETTINGS)


def bench_pages():
    """{name: Page} of the measured pages, and the quiz lesson of the same week: the home
    page (for a seeker and for a visitor, with Tremplin's middleware and with the
    minimal stack), the catalogue and the lesson."""
    from core.models import HomePage
    from courses.models import CourseIndexPage, CoursePage, LessonPage

    home = HomePage.objects.live().get()
    index = CourseIndexPage.objects.live().get()
    course = CoursePage.objects.live().get(slug="mooc-1")
    week_lessons = list(
        LessonPage.objects.live().descendant_of(course).filter(title__startswith=f"Leçon {MEASURED_WEEK}.")
    )
    lesson = next(page for page in week_lessons if page.title == f"Leçon {MEASURED_WEEK}.{MEASURED_LESSON}")
    quiz_lesson = next(page for page in week_lessons if page.has_quiz)
    return {
        "home": Page(home.url, home.title),
        "catalogue": Page(index.url, "mooc-1"),
        "lesson": Page(lesson.url, lesson.title),
        "home anon": Page(home.url, home.title, anonymous=True),
        "home min": Page(home.url, home.title, minimal=True),
        "home min anon": Page(home.url, home.title, anonymous=True, minimal=True),
    }, quiz_lesson.url


def login_sessions(count):
    """Session cookies of the `count` measured seekers (sessions created directly)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from accounts.models import User

    cookies = []
    for user in User.objects.filter(email__in=[MEASURED_EMAIL.format(n) for n in range(count)]).order_by(
        "pk"
    ):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


def _query_label(sql):
    """ "SELECT wagtailcore_page", "UPDATE courses_lessonprogress"…: what a query reads or writes."""
    verb = sql.split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|UPDATE|INTO)\s+"([^"]+)"', sql)
    return f"{verb} {table.group(1) if table else '?'}"


def count_queries(pages, cookie, repeat=40):
    """{name: (number of queries, {label: count}, CPU ms)} of one request of each page,
    made in this process with the same settings (the minimal middleware stack for the
    minimal variants), after two requests that fill the caches as gunicorn's warm-up
    does. CPU ms: the median of this process's CPU time per request (Django only: not
    PostgreSQL's or Redis's) over `repeat` rounds in which the pages take turns; unlike
    requests per second, it hardly moves when other processes share the machine. The
    client keeps no cookie between requests: an anonymous request is a first visit
    each time, as under load."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    minimal_middleware = importlib.import_module(MINIMAL_SETTINGS).MIDDLEWARE
    session_name, session_key = cookie.split("=", 1)

    def get(client, spec):
        client.cookies.clear()
        if not spec.anonymous:
            client.cookies[session_name] = session_key
        return client.get(spec.path, secure=True)

    clients, result = {}, {}
    for page, spec in pages.items():
        # The client's handler reads MIDDLEWARE once, on its first request.
        with override_settings(**({"MIDDLEWARE": minimal_middleware} if spec.minimal else {})):
            clients[page] = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
            get(clients[page], spec)
        get(clients[page], spec)
        with CaptureQueriesContext(connection) as captured:
            response = get(clients[page], spec)
        if response.status_code != 200:
            raise SystemExit(f"{page} ({spec.path}) answers {response.status_code} in the test client")
        labels = {}
        for query in captured.captured_queries:
            label = _query_label(query["sql"])
            labels[label] = labels.get(label, 0) + 1
        result[page] = (len(captured), labels)
    cpu = {page: [] for page in pages}
    for _ in range(repeat):
        for page, spec in pages.items():
            started = time.process_time()
            get(clients[page], spec)
            cpu[page].append(time.process_time() - started)
    return {page: (*result[page], statistics.median(cpu[page]) * 1000) for page in pages}


# ---------------------------------------------------------------------------
# gunicorn
# ---------------------------------------------------------------------------
def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with site/gunicorn.conf.py, in a process group of its own."""

    def __init__(self, env, workers, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.env = dict(
            os.environ,
            **env,
            WEB_CONCURRENCY=str(workers),
            GUNICORN_BIND=f"{HOST}:{self.port}",
            # No recycling during the measurement: a worker's restart (several seconds
            # of imports) would land in one page's window and not another's.
            GUNICORN_MAX_REQUESTS="0",
            GUNICORN_GRACEFUL_TIMEOUT="5",
        )
        self.process = None

    def __enter__(self):
        log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
                "-c",
                str(BASE_DIR / "site" / "gunicorn.conf.py"),
                "--no-control-socket",
                "tremplin.wsgi",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:  # not ready, or interrupted: stop what started
            self.__exit__()
            raise
        return self

    def _wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped (code {self.process.returncode}):\n{self.log_tail()}")
            try:
                status, _headers, _body = fetch(self.port, "/health/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer /health/ within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines=30):
        self.log.flush()
        return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])

    def __exit__(self, *exc):
        # The whole process group: the master and its workers, even if the master died.
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)  # the master waits for its workers
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        self.log.close()
        return False


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------
def request_headers(cookie=None, accept_encoding="gzip, br"):
    """What nginx passes on (site/nginx.conf.example) for a browser's request."""
    headers = {
        "Host": HOST,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.7",
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) tremplin-bench",
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Language": "fr-FR,fr;q=0.9",
    }
    if accept_encoding:
        headers["Accept-Encoding"] = accept_encoding
    if cookie:
        headers["Cookie"] = cookie
    return headers


def fetch(port, path, headers=None):
    """(status, headers as a list of pairs, body as received) of one GET."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {"Host": HOST})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def paired_latencies(pairs, requests):
    """{name: [seconds]}: one request at a time, each pair's two pages in turn, `requests`
    times, over one keep-alive connection per page. A page and its yardstick are thus
    measured under the same conditions, request after request, with no queue: what
    another process does to the machine touches both alike."""
    connections = {}
    latencies = {name: [] for pair in pairs for name, *_rest in pair}
    try:
        for _ in range(requests):
            for pair in pairs:
                for name, port, path, cookie in pair:
                    connection = connections.get(name) or http.client.HTTPConnection(HOST, port, timeout=30)
                    connections[name] = connection
                    started = time.perf_counter()
                    connection.request(
                        "GET", path, headers=request_headers(cookie, accept_encoding="gzip, br")
                    )
                    response = connection.getresponse()
                    response.read()
                    latencies[name].append(time.perf_counter() - started)
                    if response.status != 200:
                        raise SystemExit(f"{name} ({path}) answered {response.status}")
                    if response.will_close:
                        connection.close()
                        connections[name] = None
    finally:
        for connection in connections.values():
            if connection:
                connection.close()
    return latencies


def check_page(port, name, path, marker, cookie):
    status, headers, body = fetch(port, path, request_headers(cookie, accept_encoding=None))
    text = body.decode("utf-8", errors="replace")
    if status != 200 or marker not in text:
        location = dict(headers).get("Location", "")
        raise SystemExit(
            f"{name} ({path}) answered {status}{' → ' + location if location else ''}"
            f"{'' if status != 200 else f', without {marker!r}'}: fix the page first."
        )
    return len(body)


# ---------------------------------------------------------------------------
# Load: wrk, or a Python client
# ---------------------------------------------------------------------------
WRK_SCRIPT = """
local cookies = {%(cookies)s}
local base = {%(headers)s}
local path = "%(path)s"
local i = 0
request = function()
    i = i + 1
    local headers = {}
    for k, v in pairs(base) do headers[k] = v end
    if #cookies > 0 then headers["Cookie"] = cookies[(i %% #cookies) + 1] end
    return wrk.format("GET", path, headers)
end
"""


def _lua_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _seconds(value, unit):
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def load_wrk(port, path, cookies, connections, duration):
    headers = request_headers(accept_encoding="gzip, br")
    script = WRK_SCRIPT % {
        "cookies": ", ".join(_lua_string(cookie) for cookie in cookies),
        "headers": ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()),
        "path": path.replace('"', '\\"'),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            handle.name,
            f"http://{HOST}:{port}",
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    finally:
        os.unlink(handle.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        percent: _seconds(value, unit)
        for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    }
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": errors,
        "bad_status": int(bad.group(1)) if bad else 0,
    }


def load_python(port, path, cookies, connections, duration, headers=None, ok_status=200):
    """The Python client, in a process of its own (no GIL shared with anything else).
    `headers` are added to each request; answers other than `ok_status` are counted
    as `bad_status`."""
    spec = {
        "port": port,
        "path": path,
        "cookies": cookies,
        "connections": connections,
        "duration": duration,
        "headers": headers or {},
        "ok_status": ok_status,
    }
    output = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--load-client", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def load_client(spec):
    """Threads, one keep-alive connection each, each with one seeker's session; counts
    the responses completed within `duration` seconds."""
    spec = json.loads(spec)
    port, path, duration = spec["port"], spec["path"], spec["duration"]
    barrier = threading.Barrier(spec["connections"] + 1)
    stop = threading.Event()
    results = []
    lock = threading.Lock()

    def worker(number):
        cookie = spec["cookies"][number % len(spec["cookies"])] if spec["cookies"] else None
        headers = {**request_headers(cookie, accept_encoding="gzip, br"), **spec.get("headers", {})}
        latencies, statuses, errors = [], {}, 0
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        barrier.wait()
        while not stop.is_set():
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.will_close:
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=30)
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            if stop.is_set():  # finished after the end of the window: not counted
                break
            latencies.append(time.perf_counter() - started)
            statuses[response.status] = statuses.get(response.status, 0) + 1
        connection.close()
        with lock:
            results.append((latencies, statuses, errors))

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(spec["connections"])]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    time.sleep(duration)
    stop.set()
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join()
    latencies = sorted(value for result in results for value in result[0])
    statuses = {}
    for result in results:
        for status, n in result[1].items():
            statuses[status] = statuses.get(status, 0) + n
    print(
        json.dumps(
            {
                "rps": len(latencies) / elapsed,
                "p50": latencies[len(latencies) // 2] if latencies else None,
                "p99": latencies[int(len(latencies) * 0.99)] if latencies else None,
                "errors": sum(result[2] for result in results),
                "bad_status": sum(
                    n for status, n in statuses.items() if status != spec.get("ok_status", 200)
                ),
            }
        )
    )


# ---------------------------------------------------------------------------
# Weight of the lesson page
# ---------------------------------------------------------------------------
class References(HTMLParser):
    """What a browser downloads to show the page; the player's media kept apart."""

    def __init__(self):
        super().__init__()
        self.found = []  # (kind, url)
        self.excluded = []
        self.in_player = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("video", "audio"):
            self.in_player += 1
            if attrs.get("poster"):
                self.excluded.append(("poster", attrs["poster"]))
        elif tag in ("source", "track") and self.in_player:
            self.excluded.append((tag, attrs.get("src", "")))
        elif tag == "link" and attrs.get("href"):
            rel = set((attrs.get("rel") or "").lower().split())
            if "stylesheet" in rel:
                self.found.append(("css", attrs["href"]))
            elif rel & {"icon", "shortcut", "apple-touch-icon"}:
                self.found.append(("image", attrs["href"]))
            elif rel & {"preload", "modulepreload"}:
                self.found.append((attrs.get("as") or "script", attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.found.append(("js", attrs["src"]))
        elif tag in ("img", "input") and attrs.get("src"):
            self.found.append(("image", attrs["src"]))
        elif tag == "source" and attrs.get("srcset"):
            self.found.append(("image", attrs["srcset"].split(",")[0].split()[0]))

    def handle_endtag(self, tag):
        if tag in ("video", "audio"):
            self.in_player = max(0, self.in_player - 1)


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
JS_IMPORT = re.compile(
    r"""(?:^|[;\n])\s*import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)"""
)
# site/nginx.conf.example: gzip_types (text/html is always included), gzip_min_length.
NGINX_GZIP_TYPES = {
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "application/javascript",
    "text/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
}
NGINX_GZIP_MIN_LENGTH = 1024
NGINX_GZIP_LEVEL = 5


def _kind(content_type, fallback):
    if content_type.startswith("font/") or "font" in content_type:
        return "font"
    if content_type.startswith("image/"):
        return "image"
    if "css" in content_type:
        return "css"
    if "javascript" in content_type:
        return "js"
    return fallback


def _header_bytes(status, headers):
    return len(f"HTTP/1.1 {status} OK\r\n") + sum(len(k) + len(v) + 4 for k, v in headers) + 2


def page_weight(port, path, cookie):
    """Rows (url, kind, raw bytes, bytes sent by gunicorn, encoding, bytes behind nginx),
    excluded media, response header bytes."""
    from django.conf import settings

    rows, excluded, header_bytes = [], [], 0
    queue, seen = [("html", path)], set()
    while queue:
        kind, url = queue.pop(0)
        target = urlsplit(urljoin(f"http://{HOST}{path}", url))
        if target.hostname not in (HOST, None) or target.scheme == "data" or url.startswith("data:"):
            continue
        local = target.path + (f"?{target.query}" if target.query else "")
        if local in seen:
            continue
        seen.add(local)
        if local.startswith(settings.MEDIA_URL):
            # Uploads are files nginx sends as they are (gunicorn does not serve them).
            file = Path(settings.MEDIA_ROOT) / local[len(settings.MEDIA_URL) :]
            size = file.stat().st_size if file.exists() else 0
            rows.append((local, kind, size, size, "file", size))
            continue
        as_browser = fetch(port, local, request_headers(cookie, accept_encoding="gzip, br"))
        status, headers, body = fetch(port, local, request_headers(cookie, accept_encoding=None))
        gzipped = fetch(port, local, request_headers(cookie, accept_encoding="gzip"))
        if status != 200:
            raise SystemExit(f"{local}, referenced by the lesson page, answers {status}")
        header_bytes += _header_bytes(as_browser[0], as_browser[1])
        content_type = (dict(headers).get("Content-Type") or "").split(";")[0].strip()
        kind = _kind(content_type, kind)
        encoding = dict(as_browser[1]).get("Content-Encoding", "identity")
        if dict(gzipped[1]).get("Content-Encoding") == "gzip":  # a .gz file: gzip_static
            nginx = len(gzipped[2])
        elif content_type in NGINX_GZIP_TYPES and len(body) >= NGINX_GZIP_MIN_LENGTH:
            nginx = len(gzip.compress(body, compresslevel=NGINX_GZIP_LEVEL, mtime=0))
        else:
            nginx = len(body)
        rows.append((local, kind, len(body), len(as_browser[2]), encoding, nginx))
        if kind == "html":
            parser = References()
            parser.feed(body.decode("utf-8", errors="replace"))
            queue.extend((k, urljoin(local, u)) for k, u in parser.found)
            excluded.extend(parser.excluded)
        elif kind == "css":
            for match in CSS_URL.finditer(body.decode("utf-8", errors="replace")):
                reference = match.group(1) or match.group(2)
                if not reference.startswith(("data:", "#")):
                    queue.append(("css" if match.group(2) else "font/image", urljoin(local, reference)))
        elif kind == "js":
            for match in JS_IMPORT.finditer(body.decode("utf-8", errors="replace")):
                reference = match.group(1) or match.group(2)
                if reference.startswith((".", "/")):
                    queue.append(("js", urljoin(local, reference)))
    return rows, excluded, header_bytes


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------
def percentile(values, fraction):
    """Linear interpolation between the closest ranks (as numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _ms(value):
    return f"{value * 1000:.0f} ms" if value is not None else "-"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seekers", type=int, default=1000, help="seekers enrolled with their progress")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and round")
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds of the three pages, each in another order"
    )
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load per page before the rounds")
    parser.add_argument(
        "--connections", type=int, default=8, help="concurrent connections (default: workers × 4 threads)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the machine has 2 cores)")
    parser.add_argument(
        "--sessions",
        type=int,
        default=8,
        help="logged-in seekers (in the same place) the requests take turns with; 1: a single seeker",
    )
    parser.add_argument(
        "--paired", type=int, default=300, help="requests of each home page variant, one at a time, in turns"
    )
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto", help="load generator")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run if it has the same seekers"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="its database is dropped!")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis server; databases 14 (cache) and 15")
    parser.add_argument("--load-client", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.load_client:
        return load_client(options.load_client)
    options.sessions = max(1, min(options.sessions, options.seekers))

    def interrupted(*_args):
        raise KeyboardInterrupt

    # A `kill` stops everything as Ctrl-C does: gunicorn's process group, the load client.
    signal.signal(signal.SIGTERM, interrupted)

    begun = time.perf_counter()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = bench_env(options)
    reuse = options.reuse and database_exists(options.database_url)
    if not reuse:
        recreate_database(options.database_url)
        shutil.rmtree(BENCH_DIR / "uploads", ignore_errors=True)
    flush_redis(env)
    setup_django(env)
    from django.core.management import call_command
    from django.db import connection

    if reuse and is_seeded(options):
        call_command("migrate", verbosity=0)
        print("database: reused (--reuse)", flush=True)
    else:
        if reuse:
            print("database: not the same seekers, built again", flush=True)
            connection.close()
            recreate_database(options.database_url)
            shutil.rmtree(BENCH_DIR / "uploads", ignore_errors=True)
        seed(options)
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"static files: collected and compressed in {time.perf_counter() - started:.1f} s", flush=True)

    pages, quiz_lesson = bench_pages()
    cookies = login_sessions(options.sessions)
    queries = count_queries(pages, cookies[0])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    connection.close()  # the database is gunicorn's from here on

    client = options.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
        if client == "python":
            print(
                "wrk not found (apt-get install wrk): the Python load client is used instead; it needs "
                "more CPU per request than wrk, so every page's figure is lower, the ratios less so.",
                flush=True,
            )
    elif client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk not found: install it (apt-get install wrk) or use --client python")
    load = load_wrk if client == "wrk" else load_python

    print(
        f"{os.cpu_count()} CPUs; PostgreSQL {postgres}; gunicorn {options.workers} workers × 4 threads "
        f"(gthread), production settings; load: {client}, {options.connections} connections, "
        f"{len(cookies)} seeker session(s), {options.duration} s × {options.rounds} rounds per page",
        flush=True,
    )
    results = {name: [] for name in pages}
    minimal_env = bench_env(options, MINIMAL_SETTINGS)
    with (
        Gunicorn(env, options.workers, BENCH_DIR / "gunicorn.log") as server,
        Gunicorn(minimal_env, options.workers, BENCH_DIR / "gunicorn-minimal.log") as minimal,
    ):

        def page_load(page, seconds):
            port = minimal.port if page.minimal else server.port
            return load(port, page.path, [] if page.anonymous else cookies, options.connections, seconds)

        for name, page in pages.items():
            port = minimal.port if page.minimal else server.port
            for cookie in [None] if page.anonymous else cookies if name == "lesson" else cookies[:1]:
                check_page(port, name, page.path, page.marker, cookie)
        rows, excluded, header_bytes = page_weight(server.port, pages["lesson"].path, cookies[0])
        quiz_rows, _excluded, _headers = page_weight(server.port, quiz_lesson, cookies[0])
        # The home page against the minimal stack, for a seeker and for a visitor.
        home_pairs = [
            [
                (name, minimal.port if pages[name].minimal else server.port, pages[name].path, cookie)
                for name in names
            ]
            for names, cookie in ((("home", "home min"), cookies[0]), (("home anon", "home min anon"), None))
        ]
        paired_latencies(home_pairs, 20)  # warm-up
        paired = paired_latencies(home_pairs, options.paired)
        for page in pages.values():
            page_load(page, options.warmup)
        order = list(pages)
        for number in range(options.rounds):
            shift = number % len(order)
            for name in order[shift:] + order[:shift]:
                result = page_load(pages[name], options.duration)
                if result["errors"] or result["bad_status"]:
                    log = minimal.log_path if pages[name].minimal else server.log_path
                    print(
                        f"  warning: {name}: {result['errors']} socket errors, "
                        f"{result['bad_status']} responses other than 2xx/3xx (see {log})",
                        flush=True,
                    )
                results[name].append(result)
            print(
                f"round {number + 1}: "
                + ", ".join(f"{name} {results[name][-1]['rps']:.1f} rps" for name in pages),
                flush=True,
            )

    def median_ratio(name, reference, key):
        """The median over the rounds of name's `key` / reference's `key` in the same round."""
        pairs = zip(results[name], results[reference], strict=True)
        return statistics.median(a[key] / b[key] for a, b in pairs if a[key] and b[key])

    ratios = {name: median_ratio(name, "home", "rps") for name in ("lesson", "catalogue")}
    # Tremplin's home page p50 over the minimal stack's, for a seeker and for a visitor,
    # one request at a time (under load, p50 is mostly the time spent queueing).
    paired_p50 = {name: statistics.median(values) for name, values in paired.items()}
    overheads = {
        "home": paired_p50["home"] / paired_p50["home min"],
        "home anon": paired_p50["home anon"] / paired_p50["home min anon"],
    }
    print()
    print(f"{'page':<14} {'rps':>8} {'ratio':>6} {'p50':>7} {'p99':>7} {'queries':>8} {'cpu':>8}  path")
    for name, page in pages.items():
        rps = statistics.median(result["rps"] for result in results[name])
        p50 = statistics.median(result["p50"] for result in results[name] if result["p50"] is not None)
        p99 = statistics.median(result["p99"] for result in results[name] if result["p99"] is not None)
        ratio = f"{ratios[name]:.2f}" if name in ratios else "ceil." if name == "home" else ""
        count, _labels, cpu = queries[name]
        print(
            f"{name:<14} {rps:>8.1f} {ratio:>6} {_ms(p50):>7} {_ms(p99):>7} {count:>8} {cpu:>5.1f} ms  {page.path}"
        )
    print(
        "(rps, latencies: medians over the rounds; queries: SQL queries of one request; cpu: Django's\n"
        " CPU time per request in one process, without PostgreSQL's and Redis's: steadier than rps when\n"
        " the machine is shared)"
    )
    for name, (_count, labels, _cpu) in queries.items():
        print(f"  {name}: " + ", ".join(f"{label} ×{n}" if n > 1 else label for label, n in labels.items()))

    print()
    print(f"lesson page weight, first visit, without its video ({pages['lesson'].path}):")
    print(f"{'':<4}{'kind':<11} {'raw':>9} {'gunicorn':>16} {'nginx':>9}  url")
    for url, kind, raw, sent, encoding, nginx in rows:
        print(f"{'':<4}{kind:<11} {raw:>9,} {sent:>9,} {encoding:<6} {nginx:>9,}  {url}")
    total = sum(row[5] for row in rows)
    print(
        f"{'':<4}{'total':<11} {sum(row[2] for row in rows):>9,} {sum(row[3] for row in rows):>9,} "
        f"{'':<6} {total:>9,}  bytes of bodies"
    )
    print(
        "    gunicorn: what gunicorn/whitenoise sent for 'Accept-Encoding: gzip, br' (HTML is not compressed "
        "by Django);\n    nginx: as site/nginx.conf.example serves it (HTML gzip level 5, static .gz files), "
        f"the figure compared with the target;\n    response headers, not counted: {header_bytes:,} bytes."
    )
    if excluded:
        print(f"    not counted (the player's media): {', '.join(sorted({kind for kind, _url in excluded}))}")
    print(
        f"    for comparison, the quiz lesson of the same week: {sum(row[5] for row in quiz_rows) / 1000:.1f} KB"
    )
    print()
    print(f"run time: {time.perf_counter() - begun:.0f} s")
    print(f"lesson ratio: {ratios['lesson']:.2f} (target >= 0.7)")
    print(f"catalogue ratio: {ratios['catalogue']:.2f} (target >= 0.7)")
    print(f"lesson weight: {total / 1000:.1f} KB (target < 100)")
    print()
    print(f"home page, one request at a time ({options.paired} requests each, in turns):")
    for name, values in paired.items():
        print(
            f"    {name:<14} p50 {paired_p50[name] * 1000:5.1f} ms   p90 {percentile(values, 0.9) * 1000:5.1f} ms"
        )
    print(
        f"home overhead: {overheads['home']:.2f} for a seeker, {overheads['home anon']:.2f} for a visitor "
        "(home p50 / the minimal stack's p50, one request at a time; target <= 1.25); under load: "
        f"{median_ratio('home', 'home min', 'p50'):.2f} and {median_ratio('home anon', 'home min anon', 'p50'):.2f}; "
        "in CPU per request: "
        f"{queries['home'][2] / queries['home min'][2]:.2f} and "
        f"{queries['home anon'][2] / queries['home min anon'][2]:.2f}"
    )
    print(
        f"lesson_ratio={ratios['lesson']:.2f} catalogue_ratio={ratios['catalogue']:.2f} lesson_kb={total / 1000:.1f} "
        f"home_overhead={overheads['home']:.2f} home_overhead_anon={overheads['home anon']:.2f}"
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted: gunicorn and the load client are stopped", file=sys.stderr)
        sys.exit(130)
