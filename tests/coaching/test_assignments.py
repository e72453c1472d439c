"""Assigning modules: one seeker or many, an e-mail each after commit, a status derived
from the module's own progress (never stored), overdue from the due date."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from activity.models import ActivityEntry
from coaching import assigning
from coaching.models import Assignment, AssignmentStatus
from coaching.overview import assignment_views
from courses.models import Enrolment, LessonProgress
from tests.factories import CounsellorFactory, SeekerFactory
from tests.factories import courses as build


@pytest.mark.django_db
def test_bulk_assignment_from_the_portfolio_enrols_and_mails_each_seeker_once(
    client, counsellor, mooc, queues, run_jobs, django_capture_on_commit_callbacks
):
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(3)]
    client.force_login(counsellor)
    due = timezone.localdate() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/portefeuille/assigner/",
            {
                "assign-seekers": [seeker.pk for seeker in seekers[:2]],
                "assign-module": mooc.pk,
                "assign-due_date": due.isoformat(),
                "assign-message": "Commencez par la semaine 1.",
                "next": "/portefeuille/?alert=inactive",
            },
        )
    assert response.url == "/portefeuille/?alert=inactive"
    assert Assignment.objects.filter(module=mooc).count() == 2
    assert Enrolment.objects.filter(course=mooc).count() == 2
    assert ActivityEntry.objects.filter(verb="assignment.created", actor=counsellor).count() == 2
    assert run_jobs() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(s.email for s in seekers[:2])
    assert "Réussir son CV" in mail.outbox[0].subject
    assert "Commencez par la semaine 1." in mail.outbox[0].body

    # Assigning again leaves the existing assignments alone and sends nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/portefeuille/assigner/",
            {"assign-seekers": [seekers[0].pk, seekers[2].pk], "assign-module": mooc.pk},
        )
    run_jobs()
    assert Assignment.objects.filter(module=mooc).count() == 3
    assert [message.to[0] for message in mail.outbox] == [seekers[2].email]


@pytest.mark.django_db
def test_a_counsellor_cannot_assign_to_someone_elses_seeker(client, counsellor, mooc):
    stranger = SeekerFactory(counsellor=CounsellorFactory())
    client.force_login(counsellor)
    client.post("/portefeuille/assigner/", {"assign-seekers": [stranger.pk], "assign-module": mooc.pk})
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_a_due_date_in_the_past_is_refused(client, counsellor, seeker, mooc):
    client.force_login(counsellor)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        "/portefeuille/assigner/",
        {"assign-seekers": [seeker.pk], "assign-module": mooc.pk, "assign-due_date": yesterday.isoformat()},
        follow=True,
    )
    assert not Assignment.objects.exists()
    assert "passé" in response.content.decode()


@pytest.mark.django_db
def test_the_status_follows_the_course_progress_and_the_due_date(counsellor, seeker, mooc):
    start = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        assigning.assign(mooc, [seeker], by=counsellor, due_date=datetime.date(2026, 3, 9))

    def status(on):
        return assignment_views(Assignment.objects.all(), on)[0].status

    assert status(datetime.date(2026, 3, 3)) == AssignmentStatus.NOT_STARTED
    assert status(datetime.date(2026, 3, 10)) == AssignmentStatus.OVERDUE

    first, second = build.lessons_of(mooc)
    LessonProgress.objects.create(seeker=seeker, lesson=first, course=mooc)
    assert status(datetime.date(2026, 3, 3)) == AssignmentStatus.IN_PROGRESS
    assert status(datetime.date(2026, 3, 10)) == AssignmentStatus.OVERDUE

    Enrolment.objects.filter(seeker=seeker, course=mooc).update(completed_at=start)
    assert status(datetime.date(2026, 3, 10)) == AssignmentStatus.COMPLETED
    # Nothing about the status is stored on the assignment itself.
    assert not {"status", "progress"} & {field.name for field in Assignment._meta.get_fields()}


@pytest.mark.django_db
def test_the_portfolio_offers_each_live_module_with_its_kind(client, counsellor, seeker, mooc, home_page):
    from tests.factories import ateliers, interviews

    atelier = ateliers.atelier(home_page, title="Atelier CV")
    interview = interviews.interview(home_page, title="Entretien d'embauche")
    draft = build.course(mooc.get_parent(), "Brouillon", weeks=1)
    draft.unpublish()
    client.force_login(counsellor)

    page = client.get("/portefeuille/").content.decode()

    assert f'<option value="{mooc.pk}">Réussir son CV (MOOC)</option>' in page
    assert f'<option value="{atelier.pk}">Atelier CV (E-atelier)</option>' in page
    assert (
        f'<option value="{interview.pk}">Entretien d&#x27;embauche (Simulation d’entretien)</option>' in page
    )
    assert f'value="{draft.pk}"' not in page
