"""Scale data for the counsellor workspace (not a test): see bench/README.md.

    .venv/bin/python bench/seed_scale.py [--scale 1] [--database-url URL] [--reset]

Fills a PostgreSQL database of its own (created if missing, migrated) with, at
`--scale 1`:

* pages, through Wagtail: the home page of `core.demo`, a catalogue, 20 MOOCs of
  4 weeks × 3 lessons (240 lessons, the last lesson of each week with a quiz), and
  4 e-ateliers of 3 steps holding the five kinds of exercise;
* people: 1 team manager and their team, 100 counsellors, 20,000 seekers (one
  password hash for all). Counsellor 0 (`conseiller0@bench.tremplin.test`) follows
  exactly 250 seekers, counsellor 1 exactly 10, the others share the rest (1 % of
  the seekers have no counsellor); a mix of modalities and of "100 % web";
* learning: each seeker is enrolled in 10 to 12 MOOCs with 100 lesson progress rows
  (2,000,000 rows), courses done in full for some, started or not for the others;
* coaching: 200,000 assignments (10 MOOCs per seeker, due dates from a month ago
  to six weeks ahead, 8 % cancelled), 60,000 contacts, a follow-up period per seeker,
  a private note for one seeker in five, an open request for one in twenty;
* e-ateliers: 40,000 more assignments (2 ateliers per followed seeker), answers to
  part or all of their exercises, and for those who answered everything a submission
  waiting for review, to revise or validated (some validated at the second sending);
* messages: a conversation of 50 messages for each of counsellor 0's 250 seekers,
  6,000 conversations of 2 to 20 messages elsewhere; the last ones unread or
  waiting for an answer in some, the fields a conversation keeps in sync coherent;
* mock interviews: 3 interview pages (3 questions each), assigned to a share of the
  followed seekers, 30,000 attempts with their takes (file names only, no files):
  earlier attempts reviewed, the latest open, waiting for review or reviewed;
* activity: 1,000,000 entries over the last 60 days (actor: the seeker nine times in
  ten); one seeker in four has been inactive for 15 days or more.

Everything beyond the pages goes in with PostgreSQL's COPY (psycopg 3), with foreign
key triggers off for the loading session (`session_replication_role = replica`: the
rows are built coherent), then VACUUM ANALYZE. Each step prints its time.
`--scale 0.05` makes a quick database (1,000 seekers); the two measured portfolios
keep their size (250 and 10 seekers) at any scale.
"""

import argparse
import contextlib
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench" / "scale"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tremplin_scale"

MANAGER_EMAIL = "manager@bench.tremplin.test"
COUNSELLOR_EMAIL = "conseiller{}@bench.tremplin.test"
SEEKER_EMAIL = "demandeur{}@bench.tremplin.test"
PASSWORD = "bench-not-a-real-password"
# The measured portfolios: counsellor 0 and counsellor 1.
BIG_PORTFOLIO = 250
SMALL_PORTFOLIO = 10

COURSES = 20
WEEKS = 4
LESSONS_PER_WEEK = 3
LESSONS_PER_COURSE = WEEKS * LESSONS_PER_WEEK

# Figures at --scale 1.
FULL = {
    "counsellors": 100,
    "seekers": 20_000,
    "progress": 2_000_000,
    "assignments": 200_000,
    "atelier_assignments": 40_000,
    "activity": 1_000_000,
    "contacts": 60_000,
    # Conversations beyond the big portfolio (whose 250 seekers have 50 messages each).
    "conversations": 6_000,
    "interview_attempts": 30_000,
}
MESSAGES_PER_BIG_SEEKER = 50

FIRST_NAMES = [
    "Karim", "Sophie", "Nadia", "Lucas", "Inès", "Thomas", "Fatou", "Julien", "Camille", "Yanis",
    "Léa", "Mohamed", "Chloé", "Hugo", "Aïcha", "Nicolas", "Manon", "Samir", "Élodie", "Kevin",
    "Sarah", "Antoine", "Laura", "Mehdi", "Julie", "Romain", "Amina", "Maxime", "Pauline", "Bruno",
]  # fmt: skip
LAST_NAMES = [
    "Benali", "Martin", "Dubois", "Lefèvre", "Morel", "Diallo", "Garcia", "Petit", "Roux", "Nguyen",
    "Bernard", "Durand", "Moreau", "Laurent", "Simon", "Michel", "Fournier", "Girard", "Bonnet", "Mercier",
    "Traoré", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Faure", "André", "Blanc", "Guerin",
    "Boyer", "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Nicolas",
]  # fmt: skip
COURSE_TITLES = [
    "Définir son projet professionnel", "Écrire un CV qui donne envie", "Réussir son entretien d'embauche",
    "Chercher un emploi sur Internet", "Valoriser ses compétences", "Se reconvertir sereinement",
    "Rédiger une lettre de motivation", "Utiliser les réseaux professionnels", "Créer son entreprise",
    "Les bases du numérique", "Préparer un entretien en visio", "Connaître ses droits",
    "Trouver une formation", "Le marché caché de l'emploi", "Gérer son budget pendant la recherche",
    "Travailler en équipe", "Communiquer avec assurance", "Les métiers qui recrutent",
    "Organiser sa recherche d'emploi", "Reprendre confiance",
]  # fmt: skip
CONTACT_SUMMARIES = [
    "Point sur les candidatures de la semaine.",
    "Préparation de l'entretien de jeudi.",
    "Relecture du CV, deux corrections à faire.",
    "Échange sur le projet de formation.",
    "",
]


# ---------------------------------------------------------------------------
# Database and Django
# ---------------------------------------------------------------------------
def maintenance_connection(database_url):
    """(autocommit connection to the server's `postgres` database, database name)."""
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


def prepare_database(database_url, reset):
    """Create the database if missing (drop it first with `reset`); True if created."""
    from psycopg import sql

    connection, name = maintenance_connection(database_url)
    with connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    return False


def setup_django(database_url):
    """The test settings (DEBUG off) on `database_url`, with persistent connections."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tremplin.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ["CONN_MAX_AGE"] = "60"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["MEDIA_ROOT"] = str(BENCH_DIR / "uploads")
    os.environ["PRIVATE_MEDIA_ROOT"] = str(BENCH_DIR / "private")
    import django

    django.setup()


def is_seeded():
    from accounts.models import User

    return User.objects.filter(email=COUNSELLOR_EMAIL.format(0)).exists()


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
class Steps:
    """Prints each step with its duration."""

    def __init__(self):
        self.started = time.perf_counter()
        self.timings = []

    def run(self, label, function, *args):
        print(f"{label}…", end=" ", flush=True)
        started = time.perf_counter()
        result = function(*args)
        elapsed = time.perf_counter() - started
        self.timings.append((label, elapsed))
        detail = f" ({result})" if isinstance(result, str) else ""
        print(f"{elapsed:.1f} s{detail}", flush=True)
        return result


def copy_rows(model, fields, rows):
    """COPY `rows` (tuples in the order of `fields`) into `model`'s table; returns the
    number of rows."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reset_sequences(*models):
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def loading_session():
    """Foreign key triggers off for this session (rows are built coherent), no wait
    for the WAL flush at each commit, and the backend at a lower CPU priority."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        try:
            cursor.execute("SET session_replication_role = replica")
        except Exception as error:  # not a superuser: the deferred checks run at commit
            print(f"(foreign key triggers stay on: {error})", flush=True)
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    with contextlib.suppress(OSError):  # a server on another machine, or of another user
        os.setpriority(os.PRIO_PROCESS, backend, max(os.getpriority(os.PRIO_PROCESS, 0), 10))


# ---------------------------------------------------------------------------
# Pages: through Wagtail
# ---------------------------------------------------------------------------
QUIZ = {
    "title": "Vérifiez ce que vous avez retenu",
    "pass_mark": 50,
    "questions": [
        {
            "text": "Combien de semaines dure un MOOC ?",
            "multiple": False,
            "answers": [
                {"text": "Deux", "correct": False, "feedback": "Non : c'est plus long."},
                {"text": "Quatre", "correct": True, "feedback": "Oui, quatre semaines."},
            ],
        }
    ],
}


def build_pages():
    """Home page, catalogue, COURSES MOOCs: (home, [(course, [lesson, …])] in lesson order)."""
    from core import demo
    from courses.models import CourseIndexPage, CoursePage, CourseWeekPage, LessonPage

    home = demo.seed(lambda _message: None)
    index = home.add_child(
        instance=CourseIndexPage(
            title="Se former en ligne", slug="formations", intro="Des MOOC de quatre semaines."
        )
    )
    courses = []
    for number, title in enumerate(COURSE_TITLES[:COURSES], start=1):
        course = index.add_child(
            instance=CoursePage(
                title=title,
                slug=f"mooc-{number}",
                summary=f"{title} : quatre semaines, deux heures par semaine.",
            )
        )
        lessons = []
        for week_number in range(1, WEEKS + 1):
            week = course.add_child(
                instance=CourseWeekPage(
                    title=f"Semaine {week_number}", slug=f"semaine-{week_number}", number=week_number
                )
            )
            for position in range(1, LESSONS_PER_WEEK + 1):
                name = f"Leçon {week_number}.{position}"
                body = [
                    {"type": "heading", "value": {"text": name, "level": "h2"}},
                    {"type": "paragraph", "value": f"<p>Le contenu de la leçon « {name} ».</p>"},
                ]
                if position == LESSONS_PER_WEEK:
                    body.append({"type": "quiz", "value": QUIZ})
                lessons.append(
                    week.add_child(instance=LessonPage(title=name, slug=f"lecon-{position}", body=body))
                )
        courses.append((course, lessons))
    return home, courses


ATELIER_TITLES = [
    ("cv", "Atelier CV"),
    ("social", "Les réseaux sociaux pour trouver un emploi"),
    ("cv", "La lettre de motivation"),
    ("other", "Préparer ses candidatures"),
]


INTERVIEW_TITLES = ["Entretien d'embauche", "Entretien en visio", "Entretien avec un recruteur"]


def build_interviews(home):
    """The mock interviews of tests.factories (3 questions, a grid of 3 criteria):
    [(page, [(question id, text), …])] in question order."""
    from tests.factories import interviews as factory

    return [
        (page, [(question.pk, question.text) for question in page.questions()])
        for page in (factory.interview(home, title=title) for title in INTERVIEW_TITLES)
    ]


def build_ateliers(home):
    """The e-ateliers of tests.factories (3 steps, one exercise of each kind):
    [(atelier, [(step, exercise id, kind), …])] in exercise order."""
    from tests.factories import ateliers as factory

    found = []
    for kind, title in ATELIER_TITLES:
        page = factory.atelier(home, kind=kind, title=title)
        exercises = [
            (step, block.id, block.block_type)
            for step in factory.steps_of(page)
            for block in step.exercises().values()
        ]
        found.append((page, exercises))
    return found


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------
def plan_people(figures, rng, now):
    """Who is who: ids are given here (COPY needs them to link the rows)."""
    from django.db.models import Max

    from accounts.models import Modality, User

    first_id = (User.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    manager_id = first_id
    counsellor_ids = list(range(first_id + 1, first_id + 1 + figures["counsellors"]))
    seeker_ids = list(range(counsellor_ids[-1] + 1, counsellor_ids[-1] + 1 + figures["seekers"]))

    # Portfolios: 250 for counsellor 0, 10 for counsellor 1, the rest shared by the
    # others, 1 % without a counsellor.
    counsellor_of = {}
    unassigned = max(1, len(seeker_ids) // 100)
    for seeker_id in seeker_ids[:BIG_PORTFOLIO]:
        counsellor_of[seeker_id] = counsellor_ids[0]
    position = BIG_PORTFOLIO
    for seeker_id in seeker_ids[position : position + SMALL_PORTFOLIO]:
        counsellor_of[seeker_id] = counsellor_ids[1]
    position += SMALL_PORTFOLIO
    others = counsellor_ids[2:] or counsellor_ids[:1]
    for number, seeker_id in enumerate(seeker_ids[position : len(seeker_ids) - unassigned]):
        counsellor_of[seeker_id] = others[number % len(others)]

    seekers = []
    for number, seeker_id in enumerate(seeker_ids):
        modality = rng.choices([Modality.SUIVI, Modality.GUIDE, Modality.RENFORCE], weights=[45, 35, 20])[0]
        joined = now - timedelta(days=rng.randrange(60, 400), minutes=rng.randrange(1440))
        # Half the "suivi" seekers are followed 100 % online; a few have volunteered.
        volunteered = validated = None
        roll = rng.random()
        if modality == Modality.SUIVI and roll < 0.5:
            volunteered = joined + timedelta(days=2)
            validated = joined + timedelta(days=5)
        elif roll > 0.95:
            volunteered = now - timedelta(days=rng.randrange(1, 20))
        # One in four inactive for 15 to 59 days; the others were active in the last 3 days.
        if rng.random() < 0.25:
            last_active = now - timedelta(days=rng.randrange(15, 59), minutes=rng.randrange(1440))
        else:
            last_active = now - timedelta(minutes=rng.randrange(3 * 1440))
        seekers.append(
            {
                "id": seeker_id,
                "number": number,
                "first_name": FIRST_NAMES[number % len(FIRST_NAMES)],
                "last_name": LAST_NAMES[(number * 7 + number // len(FIRST_NAMES)) % len(LAST_NAMES)],
                "modality": modality,
                "counsellor": counsellor_of.get(seeker_id),
                "joined": joined,
                "volunteered": volunteered,
                "validated": validated,
                "last_active": last_active,
            }
        )
    return {"manager": manager_id, "counsellors": counsellor_ids, "seekers": seekers}


def load_people(people, now):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.db import transaction

    from accounts.models import CounsellorProfile, Role, SeekerProfile, Team, User
    from coaching.models import FollowUp

    # One hash for all, made once: PBKDF2, Django's default, so that the accounts can
    # log in with the development or production settings (the test settings only
    # know MD5).
    password = PBKDF2PasswordHasher().encode(PASSWORD, "benchscalesalt")
    fields = ["id", "email", "first_name", "last_name", "role", "password", "is_superuser", "is_staff", "is_active", "date_joined"]  # fmt: skip
    joined = now - timedelta(days=800)

    def users():
        yield (
            people["manager"],
            MANAGER_EMAIL,
            "Hélène",
            "Garnier",
            Role.MANAGER,
            password,
            False,
            False,
            True,
            joined,
        )
        for number, user_id in enumerate(people["counsellors"]):
            first = FIRST_NAMES[(number * 3) % len(FIRST_NAMES)]
            last = LAST_NAMES[(number * 11) % len(LAST_NAMES)]
            yield (user_id, COUNSELLOR_EMAIL.format(number), first, last, Role.COUNSELLOR, password, False, False, True, joined)  # fmt: skip
        for seeker in people["seekers"]:
            yield (
                seeker["id"],
                SEEKER_EMAIL.format(seeker["number"]),
                seeker["first_name"],
                seeker["last_name"],
                Role.SEEKER,
                password,
                False,
                False,
                True,
                seeker["joined"],
            )

    with transaction.atomic():
        count = copy_rows(User, fields, users())
        reset_sequences(User)
        team = Team.objects.create(name="Agence de Lyon Part-Dieu (bench)", manager_id=people["manager"])
        copy_rows(
            CounsellorProfile,
            ["user", "team", "capacity_web", "capacity_guide", "capacity_renforce"],
            ((user_id, team.pk, 250, 150, 70) for user_id in [people["manager"], *people["counsellors"]]),
        )
        copy_rows(
            SeekerProfile,
            ["user", "modality", "counsellor", "web_volunteered_at", "web_validated_at", "web_validated_by"],
            (
                (
                    seeker["id"],
                    seeker["modality"],
                    seeker["counsellor"],
                    seeker["volunteered"],
                    seeker["validated"],
                    seeker["counsellor"] if seeker["validated"] else None,
                )
                for seeker in people["seekers"]
            ),
        )
        copy_rows(
            FollowUp,
            ["seeker", "counsellor", "started_at", "changed_by"],
            (
                (seeker["id"], seeker["counsellor"], seeker["joined"] + timedelta(days=1), people["manager"])
                for seeker in people["seekers"]
                if seeker["counsellor"]
            ),
        )
    return f"{count:,} users with their profiles and follow-up periods"


# ---------------------------------------------------------------------------
# Learning: enrolments and lesson progress
# ---------------------------------------------------------------------------
def plan_learning(people, courses, figures, rng, now):
    """Per seeker: [(course index, enrolled_at, lessons seen)], in assignment order.

    Each seeker follows 10 to 12 MOOCs (the first 10 are the ones assigned to them)
    and has `progress / seekers` lesson progress rows spread over them."""
    seekers = people["seekers"]
    per_seeker, extra = divmod(figures["progress"], len(seekers))
    plans = {}
    for number, seeker in enumerate(seekers):
        target = per_seeker + (1 if number < extra else 0)
        count = rng.randint(10, min(12, COURSES))
        target = min(target, count * LESSONS_PER_COURSE)
        chosen = rng.sample(range(len(courses)), count)
        seen = [LESSONS_PER_COURSE] * count
        for _ in range(count * LESSONS_PER_COURSE - target):
            index = rng.randrange(count)
            while seen[index] == 0:
                index = (index + 1) % count
            seen[index] -= 1
        plan = []
        for course_index, lessons_seen in zip(chosen, seen, strict=True):
            enrolled = min(seeker["joined"] + timedelta(days=rng.randrange(1, 50)), now - timedelta(days=1))
            plan.append((course_index, enrolled, lessons_seen))
        plans[seeker["id"]] = plan
    return plans


def load_learning(people, courses, plans, now, seed):
    from django.db import transaction

    from courses.models import CompletedBy, Enrolment, LessonProgress

    rng = random.Random(seed)
    course_ids = [course.pk for course, _lessons in courses]
    lesson_ids = [[lesson.pk for lesson in lessons] for _course, lessons in courses]
    has_quiz = [(position + 1) % LESSONS_PER_WEEK == 0 for position in range(LESSONS_PER_COURSE)]

    def timeline(enrolled, position):
        """When lesson `position` was first seen: spread over the weeks since enrolment."""
        span = min(now - enrolled, timedelta(days=WEEKS * 7 + 14))
        return enrolled + span * (position + 0.5) / (LESSONS_PER_COURSE + 1)

    def enrolments():
        for seeker_id, plan in plans.items():
            for course_index, enrolled, seen in plan:
                completed = timeline(enrolled, LESSONS_PER_COURSE - 1) + timedelta(minutes=40) if seen == LESSONS_PER_COURSE else None  # fmt: skip
                last = lesson_ids[course_index][seen - 1] if seen else None
                yield (seeker_id, course_ids[course_index], enrolled, completed, last)

    def progress():
        for seeker_id, plan in plans.items():
            for course_index, enrolled, seen in plan:
                lessons = lesson_ids[course_index]
                # The last lesson seen is still open unless the course is finished.
                done = seen if seen == LESSONS_PER_COURSE or rng.random() < 0.3 else seen - 1
                for position in range(seen):
                    first = timeline(enrolled, position)
                    if position < done:
                        how = CompletedBy.QUIZ if has_quiz[position] else CompletedBy.VIDEO
                        yield (seeker_id, lessons[position], course_ids[course_index], first, first + timedelta(minutes=35), 100, first + timedelta(minutes=30), how)  # fmt: skip
                    else:
                        yield (seeker_id, lessons[position], course_ids[course_index], first, first + timedelta(minutes=10), 40, None, "")  # fmt: skip

    with transaction.atomic():
        enrolled = copy_rows(
            Enrolment, ["seeker", "course", "enrolled_at", "completed_at", "last_lesson"], enrolments()
        )
    with transaction.atomic():
        rows = copy_rows(
            LessonProgress,
            [
                "seeker",
                "lesson",
                "course",
                "first_seen_at",
                "last_seen_at",
                "video_percent",
                "completed_at",
                "completed_by",
            ],  # fmt: skip
            progress(),
        )
    with transaction.atomic():
        # COPY skips LessonProgress.save(): compute the enrolments' counters once.
        Enrolment.objects.refresh_counters()
    return f"{enrolled:,} enrolments, {rows:,} lesson progress rows"


# ---------------------------------------------------------------------------
# Coaching: assignments, contacts, notes, requests
# ---------------------------------------------------------------------------
def load_coaching(people, courses, plans, figures, now, seed):
    from django.db import transaction
    from django.utils import timezone

    from coaching.models import Assignment, Contact, ContactChannel, ContactOutcome, Note, SeekerRequest

    rng = random.Random(seed)
    today = timezone.localdate(now)
    course_ids = [course.pk for course, _lessons in courses]
    seekers = people["seekers"]
    per_seeker, extra = divmod(figures["assignments"], len(seekers))

    def assignments():
        for number, seeker in enumerate(seekers):
            plan = plans[seeker["id"]]
            wanted = per_seeker + (1 if number < extra else 0)
            by = seeker["counsellor"] or people["counsellors"][0]
            for position in range(min(wanted, len(plan))):
                course_index, enrolled, _seen = plan[position]
                due = today + timedelta(days=rng.randrange(-30, 45))
                created = min(enrolled, now - timedelta(days=1))
                cancelled = created + timedelta(days=rng.randrange(1, 10)) if rng.random() < 0.08 else None
                if cancelled and cancelled > now:
                    cancelled = now
                yield (seeker["id"], course_ids[course_index], by, due, "", created, cancelled)

    per_contact, extra_contacts = divmod(figures["contacts"], len(seekers))
    channels = list(ContactChannel.values)
    outcomes = [ContactOutcome.REACHED] * 6 + [ContactOutcome.NO_ANSWER, ContactOutcome.MESSAGE_LEFT]

    def contacts():
        for number, seeker in enumerate(seekers):
            if not seeker["counsellor"]:
                continue
            for _ in range(per_contact + (1 if number < extra_contacts else 0)):
                when = now - timedelta(days=rng.randrange(0, 90), minutes=rng.randrange(1440))
                yield (
                    seeker["id"],
                    seeker["counsellor"],
                    rng.choice(channels),
                    max(when, seeker["joined"]),
                    rng.choice(outcomes),
                    rng.choice(CONTACT_SUMMARIES),
                )

    with transaction.atomic():
        assigned = copy_rows(
            Assignment,
            ["seeker", "module", "assigned_by", "due_date", "message", "created_at", "cancelled_at"],
            assignments(),
        )
        contacted = copy_rows(
            Contact, ["seeker", "counsellor", "channel", "happened_at", "outcome", "summary"], contacts()
        )
        notes = copy_rows(
            Note,
            ["seeker", "author", "body", "created_at"],
            (
                (
                    seeker["id"],
                    seeker["counsellor"],
                    "<p>Motivé·e, à relancer sur les candidatures spontanées.</p>",
                    now - timedelta(days=seeker["number"] % 30),
                )
                for seeker in seekers
                if seeker["counsellor"] and seeker["number"] % 5 == 0
            ),
        )
        requests = copy_rows(
            SeekerRequest,
            [
                "seeker",
                "kind",
                "message",
                "created_at",
                "phone",
                "half_days",
                "urgent",
                "calls_without_answer",
            ],
            (
                (
                    seeker["id"],
                    "callback",
                    "Pouvez-vous me rappeler ?",
                    now - timedelta(days=seeker["number"] % 7),
                    "+33612345678",
                    "[]",
                    False,
                    0,
                )
                for seeker in seekers
                if seeker["counsellor"] and seeker["number"] % 20 == 3
            ),
        )
    return f"{assigned:,} assignments, {contacted:,} contacts, {notes:,} notes, {requests:,} open requests"


# ---------------------------------------------------------------------------
# E-ateliers: assignments, answers, submissions
# ---------------------------------------------------------------------------
ANSWERS = {
    "free_text": ("<p>Agent de logistique, en CDI, près de chez moi.</p>", {}, ""),
    "checklist": ("", {"checked": [0, 1, 2]}, ""),
    "self_check": ("", {"choices": [0]}, ""),
    "file": ("", {}, "ateliers/bench/cv-actuel.pdf"),
    "cv": ("", {"identity": {"first_name": "Karim", "last_name": "Benali"}}, ""),
}


def load_ateliers(people, ateliers, figures, now, seed):
    from django.db import transaction
    from django.utils import timezone

    from ateliers.models import Answer, Submission
    from coaching.models import Assignment

    rng = random.Random(seed)
    today = timezone.localdate(now)
    followed = [seeker for seeker in people["seekers"] if seeker["counsellor"]]
    per_seeker = max(1, min(len(ateliers), round(figures["atelier_assignments"] / len(followed))))
    # (seeker, counsellor, atelier index, assigned on)
    plans = []
    for seeker in followed:
        for atelier_index in rng.sample(range(len(ateliers)), per_seeker):
            assigned = min(seeker["joined"] + timedelta(days=rng.randrange(1, 40)), now - timedelta(days=2))
            plans.append((seeker["id"], seeker["counsellor"], atelier_index, assigned))
    plans = plans[: figures["atelier_assignments"]]
    answered = {}  # (seeker, atelier index): how many exercises, in order

    def assignments():
        for seeker_id, counsellor_id, atelier_index, assigned in plans:
            due = today + timedelta(days=rng.randrange(-20, 40))
            yield (seeker_id, ateliers[atelier_index][0].pk, counsellor_id, due, "", assigned, None)

    def answers():
        for seeker_id, _counsellor, atelier_index, assigned in plans:
            page, exercises = ateliers[atelier_index]
            count = len(exercises) if rng.random() < 0.5 else rng.randrange(len(exercises))
            answered[(seeker_id, atelier_index)] = count
            for position, (step, exercise_id, kind) in enumerate(exercises[:count]):
                text, data, file = ANSWERS[kind]
                when = min(assigned + timedelta(hours=6 * (position + 1)), now)
                file_name = "cv-actuel.pdf" if file else ""
                yield (seeker_id, page.pk, step.pk, exercise_id, kind, text, json.dumps(data), file, file_name, when, when)  # fmt: skip

    def submissions():
        for seeker_id, counsellor_id, atelier_index, assigned in plans:
            page, exercises = ateliers[atelier_index]
            if answered[(seeker_id, atelier_index)] < len(exercises):
                continue
            sent = min(assigned + timedelta(days=rng.randrange(1, 10)), now - timedelta(hours=1))
            snapshot = json.dumps({exercise_id: {"kind": kind, "step": step.pk} for step, exercise_id, kind in exercises})  # fmt: skip
            draw = rng.random()
            if draw < 0.4:  # waiting for the counsellor, some for days
                yield (seeker_id, page.pk, 1, sent, snapshot, "submitted", None, None, "", "{}")
                continue
            reviewed = min(sent + timedelta(days=rng.randrange(1, 6)), now)
            if draw < 0.6:
                yield (seeker_id, page.pk, 1, sent, snapshot, "to_revise", counsellor_id, reviewed, "<p>Presque : précisez le poste visé.</p>", "{}")  # fmt: skip
            elif draw < 0.75:  # validated at the second sending
                yield (seeker_id, page.pk, 1, sent, snapshot, "to_revise", counsellor_id, reviewed, "<p>Ajoutez vos dates.</p>", "{}")  # fmt: skip
                again = min(reviewed + timedelta(days=2), now)
                validated = min(again + timedelta(days=1), now)
                yield (seeker_id, page.pk, 2, again, snapshot, "validated", counsellor_id, validated, "<p>Très bien.</p>", "{}")  # fmt: skip
            else:
                yield (seeker_id, page.pk, 1, sent, snapshot, "validated", counsellor_id, reviewed, "<p>Très bien.</p>", "{}")  # fmt: skip

    with transaction.atomic():
        assigned = copy_rows(
            Assignment,
            ["seeker", "module", "assigned_by", "due_date", "message", "created_at", "cancelled_at"],
            assignments(),
        )
        answer_rows = copy_rows(
            Answer,
            [
                "seeker",
                "atelier",
                "step",
                "exercise_id",
                "kind",
                "text",
                "data",
                "file",
                "file_name",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            answers(),
        )
        sent = copy_rows(
            Submission,
            [
                "seeker",
                "atelier",
                "number",
                "submitted_at",
                "snapshot",
                "status",
                "reviewer",
                "reviewed_at",
                "feedback",
                "exercise_feedback",
            ],  # fmt: skip
            submissions(),
        )
    return f"{assigned:,} assignments, {answer_rows:,} answers, {sent:,} submissions"


# ---------------------------------------------------------------------------
# Messages: conversations
# ---------------------------------------------------------------------------
MESSAGE_BODIES = [
    "<p>Bonjour, j'ai envoyé deux candidatures cette semaine.</p>",
    "<p>Très bien ! Pensez à relancer dans une semaine.</p>",
    "<p>Pouvez-vous relire ma lettre de motivation ?</p>",
    "<p>C'est fait : deux remarques dans le document.</p>",
    "<p>J'ai un entretien jeudi à 10 h.</p>",
    "<p>Bonne nouvelle ! Préparez-vous avec l'entretien blanc.</p>",
    "<p>Merci, à bientôt.</p>",
]


def plan_conversation(seeker_id, counsellor_id, count, start, now, rng):
    """(conversation row, [message rows]) of `count` messages between `start` and now,
    as contact.messages.send and mark_read would have left them: a message is read by
    the time the other side answers it; the last ones may be unread (a seeker waiting
    for an answer since their first unanswered message)."""
    span = (now - timedelta(minutes=5) - start).total_seconds()
    times = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count))
    sides = [rng.random() < 0.55 for _ in range(count)]  # True: from the seeker
    sides[0] = True
    sides[-1] = count == 1 or rng.random() < 0.3  # most often the counsellor had the last word
    rows, waiting = [], None
    for index, (when, from_seeker) in enumerate(zip(times, sides, strict=True)):
        answer = next(
            (times[later] for later in range(index + 1, count) if sides[later] != from_seeker), None
        )
        read_at = answer - timedelta(minutes=rng.randrange(1, 60)) if answer else None
        if read_at is not None and read_at < when:
            read_at = when
        notified_at = None
        if answer is None and rng.random() < 0.6:  # the last ones: read, or not yet
            read_at = min(when + timedelta(minutes=rng.randrange(5, 600)), now)
        elif answer is None and now - when > timedelta(minutes=10):
            notified_at = when + timedelta(minutes=10)
        if from_seeker:
            waited_since = None
            waiting = waiting or when
        else:
            waited_since, waiting = waiting, None
        author = seeker_id if from_seeker else counsellor_id
        rows.append((seeker_id, author, from_seeker, rng.choice(MESSAGE_BODIES), when, read_at, waited_since, notified_at))  # fmt: skip
    return (seeker_id, times[0], times[-1], waiting), rows


def load_messages(people, figures, now, seed):
    from django.db import transaction

    from contact.models import Conversation, Message

    rng = random.Random(seed)
    followed = [seeker for seeker in people["seekers"] if seeker["counsellor"]]
    big = [seeker for seeker in followed if seeker["counsellor"] == people["counsellors"][0]]
    others = [seeker for seeker in followed if seeker["counsellor"] != people["counsellors"][0]]
    talking = [(seeker, MESSAGES_PER_BIG_SEEKER, 180) for seeker in big] + [
        (seeker, rng.randint(2, 20), 120)
        for seeker in rng.sample(others, min(len(others), figures["conversations"]))
    ]
    conversations, messages = [], []
    for seeker, count, days in talking:
        start = max(now - timedelta(days=days), seeker["joined"] + timedelta(days=1))
        conversation, rows = plan_conversation(seeker["id"], seeker["counsellor"], count, start, now, rng)
        conversations.append(conversation)
        messages.extend(rows)
    with transaction.atomic():
        copy_rows(Conversation, ["seeker", "created_at", "last_message_at", "waiting_since"], conversations)  # fmt: skip
        sent = copy_rows(
            Message,
            [
                "conversation",
                "author",
                "from_seeker",
                "body",
                "created_at",
                "read_at",
                "waited_since",
                "notified_at",
            ],  # fmt: skip
            messages,
        )
    waiting = sum(1 for conversation in conversations if conversation[3])
    return f"{len(conversations):,} conversations ({waiting:,} waiting for an answer), {sent:,} messages"


# ---------------------------------------------------------------------------
# Mock interviews: assignments, attempts, takes, reviews
# ---------------------------------------------------------------------------
def load_interviews(people, interviews, figures, now, seed):
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from coaching.models import Assignment
    from interviews.models import Attempt, Decision, Review, Take

    rng = random.Random(seed)
    today = timezone.localdate(now)
    target = figures["interview_attempts"]
    followed = [seeker for seeker in people["seekers"] if seeker["counsellor"]]
    # About 1.95 attempts per practising seeker (1 or 2 interviews, 1 to 3 attempts each).
    share = min(1.0, target / (len(followed) * 1.95))
    next_id = (Attempt.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    assignments, attempts, takes, reviews = [], [], [], []
    for seeker in followed:
        if len(attempts) >= target:
            break
        if rng.random() >= share:
            continue
        for page_index in rng.sample(range(len(interviews)), 1 if rng.random() < 0.7 else 2):
            page, questions = interviews[page_index]
            assigned = min(seeker["joined"] + timedelta(days=rng.randrange(1, 60)), now - timedelta(days=12))
            due = today + timedelta(days=rng.randrange(-20, 40))
            assignments.append((seeker["id"], page.pk, seeker["counsellor"], due, "", assigned, None))
            count = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
            when = assigned
            for number in range(1, count + 1):
                if len(attempts) >= target:
                    break
                attempt_id, next_id = next_id, next_id + 1
                started = min(when + timedelta(days=rng.randrange(1, 4)), now - timedelta(hours=3))
                last = number == count
                roll = rng.random() if last else 0.99
                answered = len(questions) if roll >= 0.25 else rng.randrange(len(questions) + 1)
                sent = None
                if roll >= 0.25:
                    sent = min(started + timedelta(hours=rng.randrange(1, 48)), now - timedelta(hours=2))
                attempts.append((attempt_id, seeker["id"], page.pk, number, started, sent, "{}", ""))
                for position, (question_id, text) in enumerate(questions[:answered], start=1):
                    for take in range(1, rng.choice([1, 1, 2]) + 1):
                        name = f"interviews/bench/{attempt_id}-{position}-{take}"
                        recorded = started + timedelta(minutes=5 * position + take)
                        takes.append((attempt_id, question_id, position, text, take, recorded, f"{name}.webm", "ready", "", f"{name}-remux.webm", f"{name}.mp4", f"{name}.jpg", "{}", 40.0 + rng.random() * 80, sent is not None and take == 1, None))  # fmt: skip
                if sent and roll >= 0.55:  # reviewed; earlier attempts were to practise again
                    decision = Decision.VALIDATED if last and rng.random() < 0.7 else Decision.PRACTISE_AGAIN
                    reviewed = min(sent + timedelta(days=rng.randrange(1, 6)), now - timedelta(hours=1))
                    reviews.append((attempt_id, seeker["counsellor"], "{}", "<p>Bonne posture, soyez plus concis.</p>", decision, reviewed))  # fmt: skip
                    when = reviewed
                else:
                    when = sent or started
    with transaction.atomic():
        assigned = copy_rows(
            Assignment,
            ["seeker", "module", "assigned_by", "due_date", "message", "created_at", "cancelled_at"],
            assignments,
        )
        count = copy_rows(
            Attempt,
            ["id", "seeker", "interview", "number", "created_at", "submitted_at", "self_assessment", "notes"],
            attempts,
        )
        reset_sequences(Attempt)
        take_rows = copy_rows(
            Take,
            [
                "attempt",
                "question",
                "position",
                "question_text",
                "number",
                "created_at",
                "recording",
                "status",
                "error",
                "remuxed",
                "rendition",
                "poster",
                "measures",
                "duration",
                "chosen",
                "files_deleted_at",
            ],  # fmt: skip
            takes,
        )
        reviewed = copy_rows(
            Review, ["attempt", "counsellor", "scores", "advice", "decision", "created_at"], reviews
        )
    waiting = sum(1 for row in attempts if row[5]) - reviewed
    return (
        f"{assigned:,} assignments, {count:,} attempts ({waiting:,} waiting for review), "
        f"{take_rows:,} takes, {reviewed:,} reviews"
    )


# ---------------------------------------------------------------------------
# Activity
# ---------------------------------------------------------------------------
def load_activity(people, courses, plans, figures, now, seed):
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from activity.models import ActivityEntry
    from courses.models import CoursePage, LessonPage

    rng = random.Random(seed)
    lesson_type = ContentType.objects.get_for_model(LessonPage).pk
    course_type = ContentType.objects.get_for_model(CoursePage).pk
    lessons = [
        [(str(lesson.pk), lesson.title) for lesson in page_lessons] for _course, page_lessons in courses
    ]
    titles = [(str(course.pk), course.title) for course, _lessons in courses]
    seekers = people["seekers"]
    per_seeker, extra = divmod(figures["activity"], len(seekers))
    window = timedelta(days=60)
    video = json.dumps({"how": "video"})
    quiz = json.dumps({"score": 100})
    empty = "{}"

    def entries():
        for number, seeker in enumerate(seekers):
            seeker_id = seeker["id"]
            plan = plans[seeker_id]
            last = seeker["last_active"]
            start = max(now - window, seeker["joined"])
            if last <= start:
                start = last - timedelta(days=2)
            span = (last - start).total_seconds()
            count = per_seeker + (1 if number < extra else 0)
            for index in range(count):
                # The newest entry is the seeker's own, at `last`.
                when = last if index == 0 else start + timedelta(seconds=rng.random() * span)
                roll = rng.random() if index else 0.0
                course_index = plan[rng.randrange(len(plan))][0]
                if roll < 0.9:
                    kind = rng.random()
                    if kind < 0.6:
                        target_id, label = rng.choice(lessons[course_index])
                        yield (
                            seeker_id,
                            seeker_id,
                            "course.lesson_done",
                            lesson_type,
                            target_id,
                            label,
                            video,
                            when,
                        )
                    elif kind < 0.8:
                        target_id, label = lessons[course_index][rng.randrange(2, LESSONS_PER_COURSE, LESSONS_PER_WEEK)]  # fmt: skip
                        yield (
                            seeker_id,
                            seeker_id,
                            "course.quiz_passed",
                            lesson_type,
                            target_id,
                            label,
                            quiz,
                            when,
                        )
                    elif kind < 0.9:
                        target_id, label = titles[course_index]
                        yield (
                            seeker_id,
                            seeker_id,
                            "course.enrolled",
                            course_type,
                            target_id,
                            label,
                            empty,
                            when,
                        )
                    else:
                        yield (seeker_id, seeker_id, "account.logged_in", None, "", "", empty, when)
                else:
                    # What the counsellor did about the seeker: not the seeker's activity.
                    actor = seeker["counsellor"] or people["counsellors"][0]
                    target_id, label = titles[course_index]
                    yield (seeker_id, actor, "assignment.created", course_type, target_id, label, empty, when)

    with transaction.atomic():
        count = copy_rows(
            ActivityEntry,
            ["seeker", "actor", "verb", "target_type", "target_id", "target_label", "data", "created_at"],
            entries(),
        )
    return f"{count:,} entries"


def vacuum_analyze():
    """What autovacuum does after a load: statistics and the visibility map."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


# ---------------------------------------------------------------------------
def figures_for(scale):
    figures = {name: max(1, round(value * scale)) for name, value in FULL.items()}
    figures["counsellors"] = max(3, figures["counsellors"])
    figures["seekers"] = max(BIG_PORTFOLIO + SMALL_PORTFOLIO + 40, figures["seekers"])
    return figures


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full figures (e.g. 0.05)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--reset", action="store_true", help="drop the database and build it again")
    parser.add_argument("--seed", type=int, default=2025, help="random seed")
    options = parser.parse_args()

    figures = figures_for(options.scale)
    print(
        "Seeding {}: {counsellors:,} counsellors, {seekers:,} seekers, {progress:,} lesson progress rows, "
        "{assignments:,} assignments, {atelier_assignments:,} e-atelier assignments, "
        "{activity:,} activity entries, {contacts:,} contacts, {conversations:,} conversations beyond "
        "the big portfolio, {interview_attempts:,} mock interview attempts".format(
            urlsplit(options.database_url).path.lstrip("/"), **figures
        ),
        flush=True,
    )
    steps = Steps()
    created = steps.run("database", prepare_database, options.database_url, options.reset)
    setup_django(options.database_url)
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    steps.run("migrations", lambda: call_command("migrate", verbosity=0))
    if not created and is_seeded():
        raise SystemExit(f"{options.database_url} is already seeded: --reset to build it again.")

    now = timezone.now().replace(microsecond=0)
    rng = random.Random(options.seed)

    def pages():
        with transaction.atomic():
            home, courses = build_pages()
            return courses, build_ateliers(home), build_interviews(home)

    courses, ateliers, interviews = steps.run(
        f"pages: home, catalogue, {COURSES} MOOCs of {LESSONS_PER_COURSE} lessons, "
        f"{len(ATELIER_TITLES)} e-ateliers, {len(INTERVIEW_TITLES)} mock interviews",
        pages,
    )
    loading_session()
    people = steps.run("plan: people", plan_people, figures, rng, now)
    steps.run("users", load_people, people, now)
    plans = steps.run("plan: learning", plan_learning, people, courses, figures, rng, now)
    steps.run("enrolments and lesson progress", load_learning, people, courses, plans, now, options.seed + 1)
    steps.run("assignments, contacts, notes, requests", load_coaching, people, courses, plans, figures, now, options.seed + 2)  # fmt: skip
    steps.run("e-ateliers: assignments, answers, submissions", load_ateliers, people, ateliers, figures, now, options.seed + 4)  # fmt: skip
    steps.run("messages", load_messages, people, figures, now, options.seed + 5)
    steps.run("mock interviews: assignments, attempts, takes, reviews", load_interviews, people, interviews, figures, now, options.seed + 6)  # fmt: skip
    steps.run("activity", load_activity, people, courses, plans, figures, now, options.seed + 3)
    steps.run("VACUUM ANALYZE", vacuum_analyze)
    total = time.perf_counter() - steps.started
    print(
        f"Seeded in {total:.0f} s ({total / 60:.1f} min). {COUNSELLOR_EMAIL.format(0)} follows "
        f"{BIG_PORTFOLIO} seekers, {COUNSELLOR_EMAIL.format(1)} {SMALL_PORTFOLIO}; password {PASSWORD!r}."
    )


if __name__ == "__main__":
    main()
