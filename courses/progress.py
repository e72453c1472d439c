"""The progress of many seekers in many MOOCs, in one query, for the counsellor's
workspace (the module-status interface, `CoursePage.progress_for_many`).

A portfolio of 250 seekers holds thousands of enrolments: each enrolment carries its own
counters (`started_at`, `lessons_done`, kept by LessonProgress.save), and the number of
required lessons is counted once per course in a common table expression rather than
once per enrolment. Written in SQL because the ORM cannot join an aggregate like this;
table and column names come from the models, values are parameters.
"""

from django.db import connection

from core.modules import ModuleProgress, ModuleStatus


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field):
    return connection.ops.quote_name(model._meta.get_field(field).column)


def progress_for_many(pairs):
    """{(seeker_id, course_id): ModuleProgress} for the given pairs (enrolled ones)."""
    from wagtail.models import Page

    from .models import Enrolment, LessonPage

    pairs = {(int(seeker), int(course)) for seeker, course in pairs}
    if not pairs:
        return {}
    seekers = sorted({seeker for seeker, _course in pairs})
    courses = sorted({course for _seeker, course in pairs})
    page, lesson, enrolment = _table(Page), _table(LessonPage), _table(Enrolment)
    lesson_ptr = _column(LessonPage, "page_ptr")
    in_courses = ", ".join(["%s"] * len(courses))
    # The seekers (a portfolio's 250) as one array on PostgreSQL (see core.lookups).
    if connection.vendor == "postgresql":
        of_seekers, seeker_params = "= ANY(%s)", [seekers]
    else:
        of_seekers, seeker_params = f"IN ({', '.join(['%s'] * len(seekers))})", seekers
    sql = f"""
        WITH totals AS (
            SELECT course.id AS course_id, COUNT(lesson_page.id) AS total
            FROM {page} course
            JOIN {page} lesson_page
                ON lesson_page.path LIKE course.path || '%%'
                AND lesson_page.depth = course.depth + 2
                AND lesson_page.live
            JOIN {lesson} lesson ON lesson.{lesson_ptr} = lesson_page.id AND lesson.{_column(LessonPage, "required")}
            WHERE course.id IN ({in_courses})
            GROUP BY course.id
        )
        SELECT e.{_column(Enrolment, "seeker")}, e.{_column(Enrolment, "course")},
               e.{_column(Enrolment, "completed_at")}, e.{_column(Enrolment, "started_at")} IS NOT NULL,
               e.{_column(Enrolment, "lessons_done")}, totals.total
        FROM {enrolment} e
        LEFT JOIN totals ON totals.course_id = e.{_column(Enrolment, "course")}
        WHERE e.{_column(Enrolment, "seeker")} {of_seekers}
          AND e.{_column(Enrolment, "course")} IN ({in_courses})
    """  # noqa: S608 - names come from the models; values are parameters
    completed_at_of = _converter(Enrolment._meta.get_field("completed_at"))
    result = {}
    # Progress without a date is the same object for every seeker at the same point: a
    # portfolio's thousands of enrolments share a few dozen (they are immutable).
    shared = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*courses, *seeker_params, *courses])
        rows = cursor.fetchall()
    for seeker_id, course_id, completed_at, started, done, total in rows:
        if (seeker_id, course_id) not in pairs:
            continue
        completed_at = completed_at_of(completed_at)
        if completed_at:
            progress = ModuleProgress(status=ModuleStatus.COMPLETED, percent=100, completed_at=completed_at)
        else:
            status = ModuleStatus.IN_PROGRESS if started else ModuleStatus.NOT_STARTED
            percent = min(round(100 * done / total), 100) if total else 0
            progress = shared.get((status, percent))
            if progress is None:
                progress = shared[status, percent] = ModuleProgress(status=status, percent=percent)
        result[(seeker_id, course_id)] = progress
    return result


def _converter(field):
    """A function reading a raw value of `field`'s column as the ORM would (SQLite
    returns datetimes as text; PostgreSQL needs nothing): the identity when the backend
    has no converter, so thousands of rows cost nothing extra."""
    expression = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
    if not converters:
        return lambda value: value

    def convert(value):
        for converter in converters:
            value = converter(value, expression, connection)
        return value

    return convert
