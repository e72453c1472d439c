"""The per-seeker queries of the lesson page and the catalogue, as plain SQL.

These two pages are requested far more than any other, and compiling a queryset
costs about 0.4 ms of CPU each time: more than the database takes to answer. Their
queries are written here once, from the models' tables and columns quoted by the
database backend (values are always parameters), and their rows are read with the
backend's and the fields' converters, as the ORM reads them.
"""

import functools
import weakref

from django.db import connections, router

from .models import Enrolment, LessonProgress

# {connection: {columns: [(column, converters)]}}: converters are the connection's.
_converters = weakref.WeakKeyDictionary()


def columns(model, table_alias, names=None):
    """The columns (expressions) of `names` of `model` (default: its concrete fields)
    in the table aliased `table_alias`."""
    fields = [model._meta.get_field(name) for name in names] if names else model._meta.concrete_fields
    return tuple(field.get_col(table_alias) for field in fields)


def select_list(connection, columns):
    quote = connection.ops.quote_name
    return ", ".join(f"{quote(column.alias)}.{quote(column.target.column)}" for column in columns)


def _converters_of(connection, columns):
    known = _converters.setdefault(connection, {})
    if columns not in known:
        known[columns] = [
            (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            for column in columns
        ]
    return known[columns]


def read(connection, values, columns):
    """Python values of a row's `values`, read as `columns`."""
    values = list(values)
    for position, (column, converters) in enumerate(_converters_of(connection, columns)):
        for converter in converters:
            values[position] = converter(values[position], column, connection)
    return values


def instance(model, alias, connection, values, columns):
    """A `model` instance of the row's `values` (all its concrete `columns`)."""
    return model.from_db(
        alias, [column.target.attname for column in columns], read(connection, values, columns)
    )


def run(model, sql, params):
    """(database alias, connection, rows) of the query `sql(alias)` (a cached function
    of the database alias: the SQL is written once) on the database `model` is read
    from."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql(alias), params)
        rows = cursor.fetchall()
    return alias, connection, rows


# ---------------------------------------------------------------------------
# The queries
# ---------------------------------------------------------------------------
ENROLMENT_COLUMNS = columns(Enrolment, "e")
PROGRESS_COLUMNS = columns(LessonProgress, "p")


@functools.cache
def _enrolment_with_progress_sql(alias):
    connection = connections[alias]
    quote = connection.ops.quote_name
    e, p = quote("e"), quote("p")
    e_seeker, e_course, p_seeker, p_course = (
        quote(model._meta.get_field(name).column)
        for model in (Enrolment, LessonProgress)
        for name in ("seeker", "course")
    )
    return (
        f"SELECT {select_list(connection, ENROLMENT_COLUMNS + PROGRESS_COLUMNS)} "  # noqa: S608 - names
        f"FROM {quote(Enrolment._meta.db_table)} {e} "
        f"LEFT OUTER JOIN {quote(LessonProgress._meta.db_table)} {p} "
        f"ON ({p}.{p_seeker} = {e}.{e_seeker} AND {p}.{p_course} = {e}.{e_course}) "
        f"WHERE {e}.{e_seeker} = %s AND {e}.{e_course} = %s"
    )


def enrolment_with_progress(seeker_id, course_id):
    """(the seeker's enrolment in the course or None, {(seeker id, lesson id):
    LessonProgress} of that course) in one query (courses.sql: the lesson page makes
    it on every request)."""
    alias, connection, rows = run(Enrolment, _enrolment_with_progress_sql, [seeker_id, course_id])
    enrolment, progress = None, {}
    size = len(ENROLMENT_COLUMNS)
    progress_id = size + [column.target for column in PROGRESS_COLUMNS].index(LessonProgress._meta.pk)
    for row in rows:
        if enrolment is None:
            enrolment = instance(Enrolment, alias, connection, row[:size], ENROLMENT_COLUMNS)
        if row[progress_id] is None:  # no progress row: the left join's nulls
            continue
        row_progress = instance(LessonProgress, alias, connection, row[size:], PROGRESS_COLUMNS)
        progress[(row_progress.seeker_id, row_progress.lesson_id)] = row_progress
    return enrolment, progress


ENROLLED_COLUMNS = columns(Enrolment, "e", ["course", "completed_at"])


@functools.cache
def _enrolled_courses_sql(alias):
    connection = connections[alias]
    quote = connection.ops.quote_name
    return (
        f"SELECT {select_list(connection, ENROLLED_COLUMNS)} "  # noqa: S608 - names
        f"FROM {quote(Enrolment._meta.db_table)} {quote('e')} "
        f"WHERE {quote('e')}.{quote(Enrolment._meta.get_field('seeker').column)} = %s"
    )


def enrolled_courses(seeker_id):
    """{course id: completed_at} of the seeker's enrolments (the catalogue's badges)."""
    alias, connection, rows = run(Enrolment, _enrolled_courses_sql, [seeker_id])
    return dict(tuple(read(connection, row, ENROLLED_COLUMNS)) for row in rows)
