"""The e-ateliers through the module-status interface (core.modules): their five states
in one query, the counsellor's portfolio and review queue, and "Mon parcours"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ateliers import submissions
from ateliers.models import Answer, AtelierPage, Submission, SubmissionStatus
from coaching import overview
from coaching.models import Assignment
from coaching.permissions import visible_seekers
from core.modules import NOT_STARTED, ModuleStatus, kind_label
from tests.factories import SeekerFactory
from tests.factories import ateliers as build


def answer(seeker, atelier, kind, **fields):
    step, block_id = build.locate(atelier, kind)
    return Answer.objects.create(
        seeker=seeker, atelier=atelier, step=step, exercise_id=block_id, kind=kind, **fields
    )


def started(seeker, atelier):
    answer(seeker, atelier, "free_text", text="<p>Magasinier à Lyon.</p>")
    answer(seeker, atelier, "checklist", data={"ticked": [0]})


@pytest.fixture
def atelier(home_page):
    return build.atelier(home_page)


@pytest.mark.django_db
def test_the_five_states_in_three_queries(counsellor, atelier):
    seekers = {status: SeekerFactory(counsellor=counsellor) for status in ModuleStatus.values}
    for status, seeker in seekers.items():
        if status != ModuleStatus.NOT_STARTED:
            started(seeker, atelier)
    submitted = submissions.submit(seekers[ModuleStatus.SUBMITTED], atelier)
    for status, decision in ((ModuleStatus.REVIEWED, "to_revise"), (ModuleStatus.COMPLETED, "validated")):
        sent = submissions.submit(seekers[status], atelier)
        submissions.review(sent, counsellor, decision=decision, feedback="Relu.")
    pairs = [(seeker.pk, atelier.pk) for seeker in seekers.values()]

    with CaptureQueriesContext(connection) as queries:
        progress = AtelierPage.progress_for_many(pairs)

    # Exercises per atelier, answers counted per seeker and atelier, submissions: the
    # same three for five seekers or 250.
    assert len(queries) == 3
    found = {status: progress.get((seeker.pk, atelier.pk), NOT_STARTED) for status, seeker in seekers.items()}
    assert {status: found[status].status for status in found} == {
        status: status for status in ModuleStatus.values
    }
    # Two of the five exercises answered: 40 %; validated work counts as done.
    assert found[ModuleStatus.IN_PROGRESS].percent == 40
    assert found[ModuleStatus.COMPLETED].percent == 100
    assert found[ModuleStatus.COMPLETED].is_done
    assert found[ModuleStatus.SUBMITTED].submitted_at == submitted.submitted_at
    assert found[ModuleStatus.COMPLETED].completed_at is not None
    assert found[ModuleStatus.REVIEWED].completed_at is None
    assert atelier.progress_for(seekers[ModuleStatus.REVIEWED]).status == ModuleStatus.REVIEWED


@pytest.mark.django_db
def test_the_status_follows_the_latest_submission(counsellor, seeker, atelier):
    started(seeker, atelier)
    first = submissions.submit(seeker, atelier)
    submissions.review(first, counsellor, decision="to_revise", feedback="Précisez.")
    assert atelier.progress_for(seeker).status == ModuleStatus.REVIEWED
    submissions.submit(seeker, atelier)
    assert atelier.progress_for(seeker).status == ModuleStatus.SUBMITTED


@pytest.mark.django_db
def test_the_counsellors_portfolio_reads_the_atelier_like_any_module(counsellor, seeker, atelier):
    Assignment.objects.create(seeker=seeker, module=atelier, assigned_by=counsellor)

    def row():
        (found,) = [r for r in overview.build(visible_seekers(counsellor)) if r.user == seeker]
        return found

    assert row().assignments[0].status == ModuleStatus.NOT_STARTED
    started(seeker, atelier)
    assert row().assignments[0].status == ModuleStatus.IN_PROGRESS
    submission = submissions.submit(seeker, atelier)
    current = row()
    assert current.assignments[0].status == ModuleStatus.SUBMITTED
    assert [item.url for item in current.reviews] == [submission.review_url()]
    submissions.review(submission, counsellor, decision="validated", feedback="Bravo.")
    current = row()
    assert current.assignments[0].status == ModuleStatus.COMPLETED
    assert current.reviews == []


@pytest.mark.django_db
def test_mon_parcours_shows_submitted_then_the_feedback(client, counsellor, seeker, atelier):
    Assignment.objects.create(seeker=seeker, module=atelier, assigned_by=counsellor)
    started(seeker, atelier)
    submission = submissions.submit(seeker, atelier)
    client.force_login(seeker)

    response = client.get("/mon-parcours/")

    assert response.context["assignments"][0].status == ModuleStatus.SUBMITTED
    assert "Envoyé pour relecture" in response.content.decode()  # "Submitted for review"
    assert response.context["feedback"] == []

    submissions.review(submission, counsellor, decision="to_revise", feedback="Précisez le poste.")
    response = client.get("/mon-parcours/")
    assert response.context["assignments"][0].status == ModuleStatus.REVIEWED
    (item,) = response.context["feedback"]
    assert item.url == atelier.url + "envois/"
    assert item.title == str(submission)
    assert f'href="{atelier.url}envois/"' in response.content.decode()


@pytest.mark.django_db
def test_waiting_for_review_oldest_first_for_the_given_seekers_only(counsellor, atelier, home_page):
    other_atelier = build.atelier(home_page, title="Atelier réseaux sociaux", kind="social")
    now = timezone.now()
    first, second, third = (SeekerFactory(counsellor=counsellor) for _ in range(3))
    for seeker in (first, second, third):
        started(seeker, atelier)
    answer(first, other_atelier, "free_text", text="<p>Un titre.</p>")
    a = submissions.submit(first, atelier, now=now - datetime.timedelta(days=1))
    b = submissions.submit(second, atelier, now=now - datetime.timedelta(days=6))
    c = submissions.submit(first, other_atelier, now=now - datetime.timedelta(days=3))
    reviewed = submissions.submit(third, atelier, now=now - datetime.timedelta(days=9))
    submissions.review(reviewed, counsellor, decision="validated", feedback="Bien.")

    items = AtelierPage.waiting_for_review([first.pk, second.pk, third.pk])

    assert [item.url for item in items] == [b.review_url(), c.review_url(), a.review_url()]
    assert [item.submitted_at for item in items] == [b.submitted_at, c.submitted_at, a.submitted_at]
    assert items[1].module.pk == other_atelier.pk and items[1].seeker_id == first.pk
    assert kind_label(items[1].module) == AtelierPage.module_kind
    assert [item.url for item in AtelierPage.waiting_for_review([second.pk])] == [b.review_url()]


@pytest.mark.django_db
def test_feedback_for_lists_the_reviews_newest_first(counsellor, seeker, atelier):
    started(seeker, atelier)
    first = submissions.submit(seeker, atelier)
    submissions.review(first, counsellor, decision="to_revise", feedback="Précisez.")
    second = submissions.submit(seeker, atelier)
    assert [item.title for item in AtelierPage.feedback_for(seeker)] == [str(first)]
    submissions.review(second, counsellor, decision="validated", feedback="Bravo.")
    assert [item.title for item in AtelierPage.feedback_for(seeker)] == [str(second), str(first)]
    assert Submission.objects.get(pk=second.pk).status == SubmissionStatus.VALIDATED
