"""The portfolio as CSV (what the portfolio shows, for a French spreadsheet) and the
figures per module (completion rate, median time to complete)."""

import csv
import datetime
import io

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import SeekerProfile
from activity.log import record
from coaching import assigning, overview
from coaching.permissions import visible_seekers
from coaching.views.exports import safe_cell
from coaching.views.portfolio import portfolio_rows
from courses.models import Enrolment
from tests.factories import CounsellorFactory, SeekerFactory
from tests.factories import courses as build

CSV_URL = reverse("coaching:portfolio_csv")
SUMMARY_URL = reverse("coaching:module_summary")
COLUMNS = 13
# 2 (session, user) + the portfolio rows: seekers, their counsellors, assignments, module
# pages, course progress, atelier submissions, mock interview attempts, conversations (the
# "messages" filter applies to the CSV too); the same at both sizes.
MAX_QUERIES = 10


@pytest.fixture
def catalogue(home_page):
    return build.catalogue(home_page)


@pytest.fixture
def course(catalogue):
    return build.course(catalogue, "Réussir son entretien", weeks=1)


def assign(course, seekers, by, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=False):
        return assigning.assign(course, seekers, by=by, **kwargs)


def download(client, query=""):
    response = client.get(CSV_URL + query)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


def parse(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


# The CSV file ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_is_a_french_spreadsheet_file_of_the_visible_seekers(client, counsellor, seeker, other_seeker):
    SeekerFactory(last_name="Lefèvre", first_name="Éloïse", counsellor=counsellor)
    client.force_login(counsellor)

    response, content = download(client)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="portefeuille-{today}.csv"'
    assert "no-cache" in response["Cache-Control"]
    assert content.startswith(b"\xef\xbb\xbf")
    assert b";" in content.splitlines()[0]
    lines = parse(content)
    assert len(lines) == 1 + 2  # header + the counsellor's two seekers
    assert all(len(line) == COLUMNS for line in lines)
    emails = {line[2] for line in lines[1:]}
    assert emails == {seeker.email, SeekerProfile.objects.get(user__last_name="Lefèvre").user.email}
    assert other_seeker.email not in content.decode("utf-8-sig")
    accented = next(line for line in lines if line[0] == "Lefèvre")
    assert accented[1] == "Éloïse"
    assert "Éloïse".encode() in content  # UTF-8, not Latin-1


@pytest.mark.django_db
def test_csv_cells_hold_the_seekers_follow_up(
    client, counsellor, seeker, course, django_capture_on_commit_callbacks
):
    seeker.first_name, seeker.last_name = "Anaïs", "Dupont"
    seeker.save()
    assign(course, [seeker], counsellor, django_capture_on_commit_callbacks)
    activity = datetime.datetime(2025, 3, 4, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Paris
    record(seeker, "course.enrolled", when=activity)
    client.force_login(counsellor)

    header, line = parse(download(client)[1])

    assert len(header) == COLUMNS
    assert line[:3] == ["Dupont", "Anaïs", seeker.email]
    assert line[3] == seeker.seeker_profile.get_modality_display()
    assert line[5] == counsellor.get_full_name()
    assert line[6] == "04/03/2025 14:05"
    assert line[7] == ""  # never reached
    assert line[8] == "1"  # active assignments
    assert line[9] == "0"  # overall progress, in percent
    assert line[10] == "0"  # nothing waiting for review
    assert line[12].startswith("Réussir son entretien (") and line[12].endswith(", 0 %)")


@pytest.mark.django_db
def test_csv_neutralises_formulas(client, counsellor):
    SeekerFactory(
        last_name='=HYPERLINK("http://pirate.test","clic")', first_name="+33 6", counsellor=counsellor
    )
    client.force_login(counsellor)

    _header, line = parse(download(client)[1])

    assert line[0] == '\'=HYPERLINK("http://pirate.test","clic")'
    assert line[1] == "'+33 6"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Dupont", "Dupont"),
        ("a=b", "a=b"),
        (None, ""),
        (42, "42"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_csv_follows_the_portfolio_filters_and_sort(client, counsellor):
    asleep = SeekerFactory(first_name="Émile", last_name="Zola", counsellor=counsellor)
    asleep.date_joined = timezone.now() - datetime.timedelta(days=60)
    asleep.save()
    # First names set: a random "Martine" would match the search below.
    SeekerFactory(first_name="Anne", last_name="Martin", counsellor=counsellor)
    SeekerFactory(first_name="Paul", last_name="Bernard", counsellor=counsellor)
    client.force_login(counsellor)

    lines = parse(download(client, "?alert=inactive")[1])
    assert [line[0] for line in lines[1:]] == ["Zola"]

    lines = parse(download(client, "?sort=name")[1])
    assert [line[0] for line in lines[1:]] == ["Bernard", "Martin", "Zola"]

    lines = parse(download(client, "?q=mart")[1])
    assert [line[0] for line in lines[1:]] == ["Martin"]

    # Exactly what the portfolio shows for the same query string.
    for query in ("?sort=activity", "?alert=any", "?modality=guide", ""):
        request = RequestFactory().get("/" + query)
        request.user = counsellor
        rows, _filters, _counts = portfolio_rows(request)
        lines = parse(download(client, query)[1])
        assert [line[2] for line in lines[1:]] == [row.user.email for row in rows]


@pytest.mark.django_db
def test_manager_exports_their_team(client, manager, counsellor, seeker, other_seeker):
    elsewhere = SeekerFactory(counsellor=CounsellorFactory())
    client.force_login(manager)

    lines = parse(download(client)[1])

    assert [line[2] for line in lines[1:]] == [seeker.email]
    assert elsewhere.email not in {line[2] for line in lines}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 15])
def test_csv_query_count_does_not_grow_with_the_portfolio(
    client, counsellor, course, size, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(size)]
    assign(course, seekers, counsellor, django_capture_on_commit_callbacks)
    Enrolment.objects.filter(seeker=seekers[0]).update(completed_at=timezone.now())
    client.force_login(counsellor)
    download(client)  # warm the content-type and site caches

    with django_assert_max_num_queries(MAX_QUERIES):
        lines = parse(download(client)[1])

    assert len(lines) == 1 + size


@pytest.mark.django_db
def test_csv_is_for_staff_only(client, seeker):
    response = client.get(CSV_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

    client.force_login(seeker)
    assert client.get(CSV_URL).status_code == 403


# The figures per module -----------------------------------------------------------------


@pytest.fixture
def three_assignees(counsellor, course, django_capture_on_commit_callbacks):
    """Three seekers assigned the course ten days ago; two completed it after 2 and 4 days."""
    assigned_on = timezone.now() - datetime.timedelta(days=10)
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(3)]
    assign(course, seekers, counsellor, django_capture_on_commit_callbacks, now=assigned_on)
    for seeker, days in zip(seekers, (2, 4), strict=False):
        Enrolment.objects.filter(seeker=seeker, course=course).update(
            completed_at=assigned_on + datetime.timedelta(days=days)
        )
    return seekers


@pytest.mark.django_db
def test_summary_by_module_rate_and_median(counsellor, course, three_assignees):
    [entry] = overview.summary_by_module(overview.build(visible_seekers(counsellor)))

    assert entry["module"].pk == course.pk
    assert (entry["assigned"], entry["completed"]) == (3, 2)
    assert entry["rate"] == 67
    assert entry["median_days"] == pytest.approx(3)


@pytest.mark.django_db
def test_summary_median_of_an_even_number_of_completions(counsellor, course, three_assignees):
    Enrolment.objects.filter(seeker=three_assignees[2], course=course).update(
        completed_at=timezone.now() - datetime.timedelta(days=1)  # after 9 days
    )

    [entry] = overview.summary_by_module(overview.build(visible_seekers(counsellor)))

    assert (entry["completed"], entry["rate"]) == (3, 100)
    assert entry["median_days"] == pytest.approx(4)


@pytest.mark.django_db
def test_module_summary_page(
    client, counsellor, course, catalogue, three_assignees, other_seeker, django_capture_on_commit_callbacks
):
    other_course = build.course(catalogue, "Préparer son CV", weeks=1)
    assign(other_course, [other_seeker], CounsellorFactory(), django_capture_on_commit_callbacks)
    client.force_login(counsellor)

    response = client.get(SUMMARY_URL)

    assert response.status_code == 200
    [entry] = response.context["modules"]  # not the other counsellor's seeker's module
    assert (entry["assigned"], entry["completed"], entry["rate"]) == (3, 2, 67)
    assert entry["median_days"] == pytest.approx(3)
    assert entry["kind"] == course.module_kind
    content = response.content.decode()
    assert "<caption" in content
    assert "Réussir son entretien" in content
    assert "67&nbsp;%" in content
    assert "Préparer son CV" not in content


@pytest.mark.django_db
def test_module_summary_without_assignments(client, manager):
    client.force_login(manager)
    response = client.get(SUMMARY_URL)
    assert response.status_code == 200
    assert response.context["modules"] == []


@pytest.mark.django_db
def test_module_summary_is_for_staff_only(client, seeker):
    assert client.get(SUMMARY_URL).status_code == 302
    client.force_login(seeker)
    assert client.get(SUMMARY_URL).status_code == 403
