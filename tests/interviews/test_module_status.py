"""Mock interviews through the module-status interface (core.modules): the five states
derived from attempts, takes and reviews in one query, "Mon parcours", and the
counsellor's review queue and seeker page in the workspace."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coaching.models import Assignment
from core.modules import NOT_STARTED, ModuleStatus, kind_label, module_page_models
from interviews.models import Attempt, Decision, MockInterviewPage, Review
from tests.factories import CounsellorFactory, SeekerFactory
from tests.factories import interviews as build


def test_the_workspace_finds_mock_interviews_among_the_module_types():
    assert MockInterviewPage in module_page_models()
    assert str(MockInterviewPage.module_kind) == "Simulation d’entretien"


@pytest.mark.django_db
def test_the_status_moves_from_not_started_to_completed(counsellor, seeker, interview):
    def status():
        return interview.progress_for(seeker)

    assert status() == NOT_STARTED
    attempt = Attempt.objects.start(seeker, interview)
    assert status() == NOT_STARTED  # opened, nothing recorded yet

    first, second, _third = interview.questions()
    build.record(attempt, first)
    build.record(attempt, first)  # a second take of the same question
    assert (status().status, status().percent) == (ModuleStatus.IN_PROGRESS, 33)
    build.record(attempt, second)
    assert status().percent == 67

    build.send(attempt)
    assert status().status == ModuleStatus.SUBMITTED
    assert status().submitted_at == attempt.submitted_at

    build.review(attempt, counsellor, Decision.PRACTISE_AGAIN)
    assert (status().status, status().completed_at) == (ModuleStatus.REVIEWED, None)

    again = Attempt.objects.start(seeker, interview)
    assert again.number == 2
    assert status().status == ModuleStatus.REVIEWED  # the new attempt is still empty
    build.record(again, first)
    assert status().status == ModuleStatus.IN_PROGRESS
    build.send(again)
    review = build.review(again, counsellor, Decision.VALIDATED)
    assert status() == interview.progress_for(seeker)
    assert (status().status, status().percent, status().completed_at) == (
        ModuleStatus.COMPLETED,
        100,
        review.created_at,
    )


@pytest.mark.django_db
def test_start_numbers_attempts_and_reuses_the_open_one(seeker, interview):
    first = Attempt.objects.start(seeker, interview)
    assert Attempt.objects.start(seeker, interview) == first
    build.send(first)
    second = Attempt.objects.start(seeker, interview)
    assert (first.number, second.number) == (1, 2)


@pytest.mark.parametrize("seekers", [1, 20])
@pytest.mark.django_db
def test_progress_for_many_is_one_query_for_one_pair_or_twenty(
    counsellor, home_page, django_assert_num_queries, seekers
):
    pages = [build.interview(home_page, f"Entretien {n}") for n in range(2)]
    pairs, expected = [], {}
    states = [ModuleStatus.NOT_STARTED, ModuleStatus.IN_PROGRESS, ModuleStatus.SUBMITTED]
    states += [ModuleStatus.REVIEWED, ModuleStatus.COMPLETED]
    for n in range(seekers):
        seeker = SeekerFactory(counsellor=counsellor)
        page = pages[n % 2]
        state = states[n % len(states)] if seekers > 1 else ModuleStatus.SUBMITTED
        if state != ModuleStatus.NOT_STARTED:
            attempt = build.started(seeker, page, takes=2)
            if state != ModuleStatus.IN_PROGRESS:
                build.send(attempt)
            if state == ModuleStatus.REVIEWED:
                build.review(attempt, counsellor, Decision.PRACTISE_AGAIN)
            if state == ModuleStatus.COMPLETED:
                build.review(attempt, counsellor, Decision.VALIDATED)
        pairs.append((seeker.pk, page.pk))
        expected[(seeker.pk, page.pk)] = state

    with django_assert_num_queries(1):
        progress = MockInterviewPage.progress_for_many(pairs)

    assert {pair: progress.get(pair, NOT_STARTED).status for pair in pairs} == expected


@pytest.mark.django_db
def test_progress_answers_only_for_the_pairs_asked(seeker, other_seeker, interview, home_page):
    other_page = build.interview(home_page, "Vendeur en magasin")
    build.started(seeker, interview)
    build.started(seeker, other_page)
    build.started(other_seeker, interview)

    progress = MockInterviewPage.progress_for_many(
        [(seeker.pk, interview.pk), (other_seeker.pk, other_page.pk)]
    )

    assert list(progress) == [(seeker.pk, interview.pk)]


@pytest.mark.django_db
def test_summaries_list_the_practised_interviews_most_recent_first(
    seeker, interview, home_page, django_assert_num_queries
):
    other_page = build.interview(home_page, "Vendeur en magasin")
    build.started(seeker, interview)
    later = build.started(seeker, other_page, takes=3)
    Attempt.objects.filter(pk=later.pk).update(created_at=timezone.now() + datetime.timedelta(minutes=1))
    Attempt.objects.start(seeker, build.interview(home_page, "Jamais commencé"))

    assert interview.url  # warms the cached site root paths the URLs are made from
    with django_assert_num_queries(3):
        summaries = MockInterviewPage.summaries_for(seeker)

    assert [(summary.module, summary.percent) for summary in summaries] == [
        (other_page, 100),
        (interview, 33),
    ]
    assert summaries[1].resume_url == interview.url


@pytest.mark.django_db
def test_waiting_for_review_lists_sent_attempts_oldest_first(counsellor, interview, home_page):
    now = timezone.now()
    other_page = build.interview(home_page, "Vendeur en magasin")
    first, second, third = (SeekerFactory(counsellor=counsellor) for _ in range(3))
    a = build.send(build.started(first, interview), now=now - datetime.timedelta(days=1))
    b = build.send(build.started(second, interview), now=now - datetime.timedelta(days=5))
    c = build.send(build.started(first, other_page), now=now - datetime.timedelta(days=3))
    reviewed = build.send(build.started(third, interview), now=now - datetime.timedelta(days=9))
    build.review(reviewed, counsellor)
    build.started(third, other_page)  # not sent

    items = MockInterviewPage.waiting_for_review([first.pk, second.pk, third.pk])

    assert [(item.seeker_id, item.title) for item in items] == [
        (second.pk, str(b)),
        (first.pk, str(c)),
        (first.pk, str(a)),
    ]
    assert [item.submitted_at for item in items] == [b.submitted_at, c.submitted_at, a.submitted_at]
    # The module as a plain page, shared by the items of the same interview.
    assert items[1].module.pk == other_page.pk and kind_label(items[1].module) == kind_label(other_page)
    assert items[0].module is items[2].module
    assert MockInterviewPage.waiting_for_review([third.pk]) == []


@pytest.mark.django_db
def test_feedback_for_lists_the_reviews_newest_first(counsellor, seeker, interview):
    first = build.send(build.started(seeker, interview))
    build.review(first, counsellor, Decision.PRACTISE_AGAIN, now=timezone.now() - datetime.timedelta(days=2))
    second = build.send(build.started(seeker, interview))
    assert [item.title for item in MockInterviewPage.feedback_for(seeker)] == [str(first)]
    build.review(second, counsellor, Decision.VALIDATED)

    items = MockInterviewPage.feedback_for(seeker)

    assert [item.title for item in items] == [str(second), str(first)]
    assert items[0].url == second.seeker_url()  # where the seeker reads the review
    # A review being written (comments, no decision yet) is not feedback yet.
    third = build.send(build.started(seeker, interview))
    Review.objects.create(attempt=third, counsellor=counsellor, decision="")
    assert len(MockInterviewPage.feedback_for(seeker)) == 2


@pytest.mark.django_db
def test_the_review_queue_shows_a_sent_interview_to_the_seekers_counsellor_only(
    client, counsellor, seeker, interview
):
    attempt = build.send(build.started(seeker, interview, takes=3))
    client.force_login(counsellor)

    response = client.get(reverse("coaching:review_queue"))

    assert response.status_code == 200
    (entry,) = response.context["entries"]
    assert (entry.seeker.pk, entry.item.title, entry.item.module.pk) == (
        seeker.pk,
        str(attempt),
        interview.pk,
    )
    assert "Entretien d&#x27;embauche (n° 1)" in response.content.decode()

    stranger = CounsellorFactory()
    client.force_login(stranger)
    assert client.get(reverse("coaching:review_queue")).context["entries"] == []
    assert client.get(reverse("coaching:seeker", args=[seeker.pk])).status_code == 404


@pytest.mark.django_db
def test_the_portfolio_and_mon_parcours_read_an_assigned_interview(
    client, counsellor, seeker, interview, django_capture_on_commit_callbacks
):
    client.force_login(counsellor)
    modules = client.get("/portefeuille/").context["assign_form"].fields["module"].queryset
    assert interview in [page.specific for page in modules]
    with django_capture_on_commit_callbacks():
        response = client.post(
            "/portefeuille/assigner/", {"assign-seekers": [seeker.pk], "assign-module": interview.pk}
        )
    assert response.status_code == 302
    assert Assignment.objects.get().module.specific == interview

    client.force_login(seeker)
    assert client.get("/mon-parcours/").context["assignments"][0].status == ModuleStatus.NOT_STARTED

    attempt = build.send(build.started(seeker, interview, takes=3))
    response = client.get("/mon-parcours/")
    assert response.context["assignments"][0].status == ModuleStatus.SUBMITTED

    build.review(attempt, counsellor, Decision.VALIDATED)
    response = client.get("/mon-parcours/")
    assert response.context["assignments"][0].status == ModuleStatus.COMPLETED
    (item,) = response.context["feedback"]
    assert item.url == attempt.seeker_url()

    client.force_login(counsellor)
    response = client.get(reverse("coaching:seeker", args=[seeker.pk]))
    assert response.status_code == 200
    assert escape(interview.title) in response.content.decode()
