"""The portfolio: alerts with frozen time, filters and sorting, and a query count that
does not grow from 10 to 250 seekers."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

from accounts.models import Modality
from activity import log
from activity.models import ActivityEntry
from coaching import assigning, overview
from coaching.models import Assignment, Contact, ContactOutcome, SeekerRequest, SeekerRequestKind
from coaching.permissions import visible_seekers
from courses.models import Enrolment
from tests.factories import SeekerFactory
from tests.factories import courses as build
from tests.xss import executable_parts

NOW = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)


def ago(days):
    return NOW - datetime.timedelta(days=days)


def rows_by_email(counsellor):
    with time_machine.travel(NOW, tick=False):
        return {row.user.email: row for row in overview.build(visible_seekers(counsellor))}


@pytest.fixture
def people(counsellor, mooc):
    with time_machine.travel(ago(60), tick=False):
        found = {
            name: SeekerFactory(email=f"{name}@exemple.test", counsellor=counsellor, modality=modality)
            for name, modality in [
                ("active", Modality.GUIDE),
                ("idle", Modality.GUIDE),
                ("late", Modality.GUIDE),
                ("renforce_seen", Modality.RENFORCE),
                ("renforce_alone", Modality.RENFORCE),
            ]
        }
    log.record(found["active"], "account.logged_in", when=ago(2))
    log.record(found["idle"], "account.logged_in", when=ago(15))
    # Done by the counsellor about the seeker: not the seeker's own activity.
    log.record(found["idle"], "assignment.created", actor=counsellor, when=ago(1))
    for name in ("late", "renforce_seen", "renforce_alone"):
        log.record(found[name], "account.logged_in", when=ago(1))
    with time_machine.travel(ago(20), tick=False):
        assigning.assign(mooc, [found["late"]], by=counsellor, due_date=ago(5).date())
    Contact.objects.create(
        seeker=found["renforce_seen"], counsellor=counsellor, channel="visio", happened_at=ago(10)
    )
    Contact.objects.create(
        seeker=found["renforce_alone"],
        counsellor=counsellor,
        channel="phone",
        happened_at=ago(3),
        outcome=ContactOutcome.NO_ANSWER,
    )
    return found


@pytest.mark.django_db
def test_alerts_with_frozen_time(people):
    rows = rows_by_email(people["active"].seeker_profile.counsellor)
    assert rows["active@exemple.test"].alerts == []
    assert rows["idle@exemple.test"].alerts == [overview.Alert.INACTIVE]
    assert rows["late@exemple.test"].alerts == [overview.Alert.OVERDUE]
    assert rows["renforce_seen@exemple.test"].alerts == []
    # A call nobody answered is not a contact.
    assert rows["renforce_alone@exemple.test"].alerts == [overview.Alert.NO_CONTACT]
    assert rows["active@exemple.test"].last_activity == ago(2)


@pytest.mark.django_db
def test_inactivity_threshold_is_a_setting(people, settings):
    settings.COACHING_ALERTS = {**settings.COACHING_ALERTS, "inactive_days": 30}
    rows = rows_by_email(people["active"].seeker_profile.counsellor)
    assert rows["idle@exemple.test"].alerts == []


@pytest.mark.django_db
def test_the_no_contact_alert_says_the_configured_number_of_days(client, counsellor, people, settings):
    settings.COACHING_ALERTS = {**settings.COACHING_ALERTS, "renforce_contact_days": 21}
    with time_machine.travel(NOW, tick=False):
        client.force_login(counsellor)
        html = client.get("/portefeuille/").content.decode()
    assert "Sans contact depuis 21 jours" in html
    assert "15 jours" not in html


@pytest.mark.django_db
def test_an_open_request_raises_an_alert(people):
    SeekerRequest.objects.create(seeker=people["active"], kind=SeekerRequestKind.IN_PERSON)
    rows = rows_by_email(people["active"].seeker_profile.counsellor)
    assert rows["active@exemple.test"].alerts == [overview.Alert.REQUEST]


@pytest.mark.django_db
def test_filters_and_sorting(client, counsellor, people):
    client.force_login(counsellor)
    with time_machine.travel(NOW, tick=False):
        rows = client.get("/portefeuille/", {"alert": "inactive"}).context["rows"]
        assert [row.user.email for row in rows] == ["idle@exemple.test"]
        names = [row.user.email for row in client.get("/portefeuille/", {"alert": "any"}).context["rows"]]
        assert sorted(names) == ["idle@exemple.test", "late@exemple.test", "renforce_alone@exemple.test"]
        rows = client.get("/portefeuille/", {"modality": "renforce"}).context["rows"]
        assert {row.user.email for row in rows} == {
            "renforce_seen@exemple.test",
            "renforce_alone@exemple.test",
        }
        rows = client.get("/portefeuille/", {"status": "overdue"}).context["rows"]
        assert [row.user.email for row in rows] == ["late@exemple.test"]
        rows = client.get("/portefeuille/", {"sort": "activity"}).context["rows"]
        assert rows[0].user.email == "idle@exemple.test"
        rows = client.get("/portefeuille/", {"q": people["late"].last_name}).context["rows"]
        assert "late@exemple.test" in [row.user.email for row in rows]
        response = client.get("/portefeuille/", {"alert": "nonsense", "sort": "nonsense"})
        assert response.status_code == 200 and len(response.context["rows"]) == 5


def row_of(html, seeker):
    """The <tr> of `seeker` in a portfolio page, parsed."""
    link = BeautifulSoup(html, "html.parser").find("a", href=f"/portefeuille/demandeurs/{seeker.pk}/")
    return link.find_parent("tr")


@pytest.mark.django_db
def test_each_row_shows_the_seeker_at_a_glance(client, counsellor, people):
    client.force_login(counsellor)
    with time_machine.travel(NOW, tick=False):
        html = client.get("/portefeuille/").content.decode()
    late = people["late"]
    cells = [cell.get_text(" ", strip=True) for cell in row_of(html, late).find_all(["td", "th"])]
    assert cells == [
        "",  # the checkbox
        late.get_full_name(),
        "Guidé",
        "14/06/2026",  # last activity, in the French short format
        "aucune pour l’instant",  # no contact yet
        "1 en retard",
        "0 %",
        "0",
        "Module en retard",
        "—",  # no message
    ]
    row = row_of(html, late)
    checkbox = row.find("input", type="checkbox")
    assert (
        checkbox["value"] == str(late.pk) and checkbox["aria-label"] == f"Sélectionner {late.get_full_name()}"
    )
    assert row.find("time")["datetime"] == "2026-06-14T12:00:00+02:00"
    assert row.select_one(".tag--overdue") and row.select_one(".badge--alert")


@pytest.mark.django_db
def test_names_are_shown_as_text_in_the_rows(client, counsellor, manager, seeker):
    payload = '<img src=x onerror="alert(1)">"\'&'
    seeker.first_name, seeker.last_name = payload, "<script>alert(2)</script>"
    seeker.save()
    counsellor.first_name = "<svg onload=alert(3)>"
    counsellor.save()
    for viewer in (counsellor, manager):  # the manager's list also names the counsellor
        client.force_login(viewer)
        html = client.get("/portefeuille/").content.decode()
        row = row_of(html, seeker)
        assert executable_parts(row, {"script", "img", "svg"}) == []
        assert seeker.get_full_name() in row.th.get_text()
        if viewer == manager:
            assert "<svg onload=alert(3)>" in row.th.small.get_text()
        else:
            assert row.input["aria-label"] == f"Sélectionner {seeker.get_full_name()}"


def fill(counsellor, mooc, count):
    seekers = [SeekerFactory(counsellor=counsellor, modality=Modality.GUIDE) for _ in range(count)]
    assigning.assign(mooc, seekers, by=counsellor, due_date=timezone.localdate())
    for seeker in seekers:
        Enrolment.objects.filter(seeker=seeker).update(enrolled_at=ago(3))
        log.record(seeker, "account.logged_in")
        Contact.objects.create(seeker=seeker, counsellor=counsellor, channel="chat")
    return seekers


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 250])
def test_the_portfolio_query_count_does_not_grow_with_its_size(
    client, counsellor, mooc, count, queues, django_assert_max_num_queries
):
    fill(counsellor, mooc, count)
    assert Assignment.objects.count() == count and ActivityEntry.objects.count() >= 2 * count
    client.force_login(counsellor)
    client.get("/portefeuille/")
    # Session, user, the rows (seekers, counsellors, assignments, module pages, course
    # progress, atelier submissions, mock interview attempts, conversations), capacity,
    # permissions, the assign form's modules.
    with django_assert_max_num_queries(17):
        response = client.get("/portefeuille/", {"sort": "alerts", "modality": "guide", "alert": ""})
    assert len(response.context["rows"]) == count


def test_each_seekers_assignments_come_soonest_due_first_then_undated_in_the_order_given(
    counsellor, seeker, mooc
):
    catalogue = mooc.get_parent()
    first, second, third, fourth = (build.course(catalogue, title, weeks=1) for title in "ABCD")
    today = timezone.localdate()
    for module, due in [(first, None), (second, today + datetime.timedelta(days=9)), (third, None),
                        (fourth, today + datetime.timedelta(days=2)), (mooc, today + datetime.timedelta(days=9))]:  # fmt: skip
        assigning.assign(module, [seeker], by=counsellor, due_date=due, notify=False)

    (row,) = overview.build(visible_seekers(counsellor))

    assert [view.module.title for view in row.assignments] == ["D", "B", "Réussir son CV", "A", "C"]
