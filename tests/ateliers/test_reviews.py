"""Sending an e-atelier for review and the counsellor's review: the queue, who may read
what, sanitised feedback, the e-mail, and the history of submissions."""

import threading
import uuid
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from activity.models import ActivityEntry
from ateliers import submissions
from ateliers.models import Answer, Submission, SubmissionStatus
from tests.factories import CounsellorFactory, ManagerFactory, SeekerFactory, TeamFactory
from tests.factories import ateliers as build
from tests.factories.ateliers import exercise_id, steps_of

QUEUE = reverse("coaching:review_queue")

CV_DATA = {
    "identity": {
        "first_name": "Karim",
        "last_name": "Benali",
        "email": "k@exemple.test",
        "phone": "",
        "city": "Lyon",
    },
    "headline": "Magasinier cariste",
    "summary": "Six ans en entrepôt.",
    "experiences": [
        {
            "title": "Préparateur",
            "employer": "Logistique Rhône",
            "place": "",
            "start": "2019",
            "end": "2025",
            "description": "",
        }
    ],
    "education": [],
    "skills": ["Gestion des stocks"],
    "languages": [{"name": "Arabe", "level": "b2"}],
    "interests": [],
}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def answer(seeker, atelier, kind, **fields):
    step, block_id = build.locate(atelier, kind)
    found, _created = Answer.objects.update_or_create(
        seeker=seeker,
        exercise_id=block_id,
        defaults={"atelier": atelier, "step": step, "kind": kind, **fields},
    )
    return found


def answer_all(seeker, atelier):
    answer(seeker, atelier, "free_text", text="<p>Magasinier à Lyon.</p>")
    answer(seeker, atelier, "checklist", data={"ticked": [0, 2]})
    answer(seeker, atelier, "self_check", data={"chosen": [0]})
    answer(seeker, atelier, "cv", data=CV_DATA)


def submissions_path(atelier):
    return atelier.url + "envois/"


def submit_path(atelier):
    return atelier.url + "envoyer/"


class Inspector(HTMLParser):
    """Every tag, attribute and link of a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.hrefs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append(name)
            if name in ("href", "src", "action", "formaction") and value:
                self.hrefs.append(value)


def inspect(html):
    parser = Inspector()
    parser.feed(html)
    return parser


@pytest.fixture
def atelier(home_page):
    return build.atelier(home_page)


# ---------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_submit_page_shows_what_will_be_sent_read_only(client, seeker, atelier):
    answer_all(seeker, atelier)
    client.force_login(seeker)

    response = client.get(submit_path(atelier))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert "Magasinier à Lyon." in html
    assert "Mes diplômes" in html and "Le poste visé" in html
    assert "Magasinier cariste" in html  # the CV
    page = inspect(html)
    assert "textarea" not in page.tags  # read-only
    assert "script" not in page.tags and "style" not in page.attributes
    # The choice: the whole atelier, or some answered exercises (not the unanswered file).
    form = response.context["form"]
    assert [value for value, _label in form.fields["scope"].choices] == ["whole", "some"]
    step_1, step_2, step_3 = steps_of(atelier)
    assert [value for value, _label in form.fields["exercises"].choices] == [
        exercise_id(step_1, "free_text"),
        exercise_id(step_1, "checklist"),
        exercise_id(step_2, "self_check"),
        exercise_id(step_3, "cv"),
    ]


@pytest.mark.django_db
def test_submitting_freezes_the_answers_and_fills_the_counsellors_queue(client, seeker, counsellor, atelier):
    answer_all(seeker, atelier)
    client.force_login(seeker)

    response = client.post(submit_path(atelier), {"scope": "whole"})

    assert response.status_code == 302
    assert response.url == submissions_path(atelier)
    submission = Submission.objects.get(seeker=seeker, atelier=atelier)
    assert (submission.number, submission.status) == (1, SubmissionStatus.SUBMITTED)
    assert Submission.objects.is_waiting(seeker, atelier)
    step_1, step_2, step_3 = steps_of(atelier)
    # In page order (jsonb keeps no key order: each answer holds its position).
    assert [answer.exercise_id for answer in submissions.frozen_answers(submission.snapshot)] == [
        exercise_id(step_1, "free_text"),
        exercise_id(step_1, "checklist"),
        exercise_id(step_2, "self_check"),
        exercise_id(step_2, "file"),
        exercise_id(step_3, "cv"),
    ]
    text = submission.snapshot[exercise_id(step_1, "free_text")]
    assert text["text"] == "<p>Magasinier à Lyon.</p>"
    assert (text["kind"], text["title"], text["step"], text["step_id"]) == (
        "free_text",
        "Le poste que je vise",
        "Étape 1",
        step_1.pk,
    )
    assert submission.snapshot[exercise_id(step_1, "checklist")]["ticked"] == [0, 2]
    assert submission.snapshot[exercise_id(step_2, "file")]["answered"] is False
    entry = ActivityEntry.objects.get(seeker=seeker, verb="atelier.submitted")
    assert entry.actor == seeker and entry.target_id == str(atelier.pk)

    # The counsellor's queue links to the review page; another counsellor's does not.
    client.force_login(counsellor)
    html = client.get(QUEUE).content.decode()
    assert f'href="{submission.review_url()}"' in html
    assert submission.review_url() == f"/portefeuille/relectures/{submission.pk}/"
    client.force_login(CounsellorFactory())
    assert submission.review_url() not in client.get(QUEUE).content.decode()


@pytest.mark.django_db
def test_one_deliverable_can_be_sent_on_its_own(client, seeker, atelier):
    answer_all(seeker, atelier)
    _step, cv_id = build.locate(atelier, "cv")
    client.force_login(seeker)

    client.post(submit_path(atelier), {"scope": "some", "exercises": [cv_id]})

    submission = Submission.objects.get(seeker=seeker)
    assert list(submission.snapshot) == [cv_id]
    assert submission.snapshot[cv_id]["data"] == CV_DATA


@pytest.mark.django_db
def test_choosing_some_exercises_without_ticking_any_is_refused(client, seeker, atelier):
    answer_all(seeker, atelier)
    client.force_login(seeker)

    response = client.post(submit_path(atelier), {"scope": "some"})

    assert response.status_code == 200
    assert response.context["form"].errors["exercises"]
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_nothing_answered_nothing_to_send(client, seeker, atelier):
    with pytest.raises(ValueError):
        submissions.submit(seeker, atelier)
    answer(seeker, atelier, "free_text", text="<p>Un texte.</p>")
    _step, file_id = build.locate(atelier, "file")
    with pytest.raises(ValueError):  # the chosen exercise has no answer
        submissions.submit(seeker, atelier, exercise_ids=[file_id])
    with pytest.raises(ValueError):  # not an exercise of this atelier
        submissions.submit(seeker, atelier, exercise_ids=[str(uuid.uuid4())])
    assert not Submission.objects.exists()

    other = SeekerFactory()
    client.force_login(other)
    response = client.get(submit_path(atelier))
    assert response.status_code == 200
    assert response.context["answered"] is False
    assert 'name="scope"' not in response.content.decode()


@pytest.mark.django_db
def test_a_waiting_submission_cannot_be_submitted_twice(client, seeker, atelier):
    answer_all(seeker, atelier)
    submissions.submit(seeker, atelier)
    with pytest.raises(ValueError):
        submissions.submit(seeker, atelier)

    client.force_login(seeker)
    response = client.post(submit_path(atelier), {"scope": "whole"})  # a second click
    assert response.status_code == 302
    assert Submission.objects.count() == 1
    assert client.get(submit_path(atelier)).context["waiting"] is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sendings_racing_make_one_submission(seeker, atelier):
    answer_all(seeker, atelier)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait()
            outcomes.append(submissions.submit(seeker, atelier).number)
        except ValueError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == [1, "refused"]
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_the_seeker_pages_are_for_seekers_only(client, seeker, counsellor, atelier):
    for path in (submit_path(atelier), submissions_path(atelier)):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    client.force_login(counsellor)
    for path in (submit_path(atelier), submissions_path(atelier)):
        assert client.get(path).status_code == 403


@pytest.mark.django_db
def test_a_seeker_sees_only_their_own_submissions(client, seeker, other_seeker, atelier):
    answer(seeker, atelier, "free_text", text="<p>Mon texte secret.</p>")
    submissions.submit(seeker, atelier)
    client.force_login(other_seeker)

    response = client.get(submissions_path(atelier))

    assert response.status_code == 200
    assert response.context["submissions"] == []
    assert "Mon texte secret." not in response.content.decode()


# ---------------------------------------------------------------------------
# Who may review
# ---------------------------------------------------------------------------
def other_team_manager():
    team = TeamFactory()
    manager = ManagerFactory(team=team)
    team.manager = manager
    team.save()
    return manager


@pytest.mark.django_db
def test_a_counsellor_cannot_read_a_seeker_outside_their_portfolio_404(client, seeker, atelier):
    answer_all(seeker, atelier)
    uploaded = answer(
        seeker, atelier, "file", file=ContentFile(b"%PDF-1.4 x", name="x.pdf"), file_name="x.pdf"
    )
    submission = submissions.submit(seeker, atelier)
    url, file_url = submission.review_url(), uploaded.file.url

    for outsider in (CounsellorFactory(), other_team_manager()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "validated", "feedback": "Bien."}).status_code == 404
        assert client.get(file_url).status_code == 404
        assert seeker.get_full_name() not in client.get(QUEUE).content.decode()

    submission.refresh_from_db()
    assert (submission.status, submission.reviewer) == (SubmissionStatus.SUBMITTED, None)


@pytest.mark.django_db
def test_the_review_page_is_for_the_seekers_counsellor_and_team_manager(
    client, seeker, counsellor, manager, atelier
):
    answer_all(seeker, atelier)
    url = submissions.submit(seeker, atelier).review_url()

    response = client.get(url)  # anonymous
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    client.force_login(seeker)  # even the seeker who sent it
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "validated"}).status_code == 403

    for staff in (manager, counsellor):
        client.force_login(staff)
        response = client.get(url)
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


@pytest.mark.django_db
def test_an_unknown_submission_is_a_404(client, counsellor):
    client.force_login(counsellor)
    assert client.get(reverse("ateliers:review", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_the_review_page_shows_the_frozen_answers_and_a_form(
    client, seeker, counsellor, atelier, private_root
):
    answer_all(seeker, atelier)
    uploaded = answer(
        seeker,
        atelier,
        "file",
        file=ContentFile(b"%PDF-1.4 lettre", name="lettre.pdf"),
        file_name="Ma lettre.pdf",
    )
    stored = uploaded.file.name
    submission = submissions.submit(seeker, atelier)
    client.force_login(counsellor)

    response = client.get(submission.review_url())

    html = response.content.decode()
    page = inspect(html)
    assert "script" not in page.tags and "style" not in page.attributes
    assert seeker.get_full_name() in html
    assert "Magasinier à Lyon." in html and "Magasinier cariste" in html
    file_url = reverse("private_file", kwargs={"name": stored})
    assert file_url in page.hrefs and "Ma lettre.pdf" in html
    # One feedback field per exercise, an overall one and the decision.
    names = {f"exercise_{block_id}" for block_id in submission.snapshot} | {"feedback", "decision"}
    assert names <= set(response.context["form"].fields)
    assert page.tags.count("textarea") == len(submission.snapshot) + 1
    assert 'type="radio"' in html and "<fieldset" in html and "<legend" in html
    # The document reaches the counsellor through its permission-checked URL.
    assert client.get(file_url).status_code == 200
    client.force_login(CounsellorFactory())
    assert client.get(file_url).status_code == 404


# ---------------------------------------------------------------------------
# Reviewing
# ---------------------------------------------------------------------------
XSS_OVERALL = (
    '<script>alert("overall")</script><p onclick="alert(1)">Très <strong>bon</strong> début.</p>'
    '<a href="javascript:alert(2)">lien</a><img src="x" onerror="alert(3)">'
    '<a href="https://exemple.test/conseils" onmouseover="alert(4)">conseils</a>'
)
XSS_EXERCISE = '"><svg onload=alert(5)><iframe src="javascript:alert(6)"></iframe>Précisez le <em>poste</em>.'


@pytest.mark.django_db
def test_xss_payloads_in_overall_and_exercise_feedback_render_inert(client, seeker, counsellor, atelier):
    answer_all(seeker, atelier)
    submission = submissions.submit(seeker, atelier)
    text_id, cv_id = build.locate(atelier, "free_text")[1], build.locate(atelier, "cv")[1]
    client.force_login(counsellor)

    client.post(
        submission.review_url(),
        {
            "decision": "to_revise",
            "feedback": XSS_OVERALL,
            f"exercise_{text_id}": XSS_EXERCISE,
            f"exercise_{cv_id}": "Ajoutez des chiffres.\n\nEt vos disponibilités < 15 jours.",
        },
    )

    # Stored sanitised: only the allow-list survives.
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.TO_REVISE
    assert set(submission.exercise_feedback) == {text_id, cv_id}  # empty ones are not kept
    for html in (submission.feedback, *submission.exercise_feedback.values()):
        assert not {"script", "svg", "iframe", "img"} & set(inspect(html).tags)
        assert not [name for name in inspect(html).attributes if name.startswith("on")]
        assert "javascript:" not in html
    assert "<strong>bon</strong>" in submission.feedback
    assert (
        '<a href="https://exemple.test/conseils" rel="nofollow noopener">conseils</a>' in submission.feedback
    )
    # Plain text becomes paragraphs, its "<" escaped.
    assert submission.exercise_feedback[cv_id] == (
        "<p>Ajoutez des chiffres.</p>\n\n<p>Et vos disponibilités &lt; 15 jours.</p>"
    )

    # Rendered inert, beside the answers, on the seeker's page and on the review page.
    client.force_login(seeker)
    seeker_page = client.get(submissions_path(atelier))
    client.force_login(counsellor)
    review_page = client.get(submission.review_url())
    for response in (seeker_page, review_page):
        assert response.status_code == 200
        html = response.content.decode()
        page = inspect(html)
        assert not {"script", "svg", "iframe", "img"} & set(page.tags)
        assert not [name for name in page.attributes if name.startswith("on")]
        assert not [href for href in page.hrefs if href.strip().lower().startswith("javascript")]
        assert "Très <strong>bon</strong> début." in html
        assert "Précisez le <em>poste</em>." in html
        assert "disponibilités &lt; 15 jours." in html
    shown = seeker_page.context["submissions"][0].answers
    assert {answer.exercise_id: answer.feedback for answer in shown if answer.feedback} == (
        submission.exercise_feedback
    )


@pytest.mark.django_db
def test_the_review_is_recorded_and_mails_the_seeker_once(
    client, seeker, counsellor, atelier, queues, run_jobs, django_capture_on_commit_callbacks
):
    answer_all(seeker, atelier)
    submission = submissions.submit(seeker, atelier)
    client.force_login(counsellor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submission.review_url(), {"decision": "validated", "feedback": "Bravo."})

    assert response.status_code == 302
    assert response.url == QUEUE
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    submission.refresh_from_db()
    assert (submission.status, submission.reviewer, submission.feedback) == (
        SubmissionStatus.VALIDATED,
        counsellor,
        "<p>Bravo.</p>",
    )
    assert submission.reviewed_at is not None
    entry = ActivityEntry.objects.get(seeker=seeker, verb="atelier.reviewed")
    assert entry.actor == counsellor and entry.target_id == str(atelier.pk)
    # One e-mail, to the seeker, with the absolute link to their submissions.
    assert run_jobs() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [seeker.email]
    assert "Atelier CV" in message.subject
    assert f"http://testserver{submissions_path(atelier)}" in message.body
    # Out of the queue.
    assert submission.review_url() not in client.get(QUEUE).content.decode()


@pytest.mark.django_db
def test_the_email_leaves_only_once_the_review_is_committed(
    seeker, counsellor, home_page, queues, run_jobs, django_capture_on_commit_callbacks
):
    atelier = build.atelier(home_page, title="L'atelier « CV & lettre »")
    answer_all(seeker, atelier)
    submission = submissions.submit(seeker, atelier)

    with django_capture_on_commit_callbacks() as callbacks:
        submissions.review(submission, counsellor, decision="validated", feedback="Parfait.")
        assert queues["default"].count == 0
    assert len(callbacks) == 1
    callbacks[0]()

    assert run_jobs() == 1
    assert [message.to for message in mail.outbox] == [[seeker.email]]
    assert "L'atelier « CV & lettre »" in mail.outbox[0].subject  # plain text, not HTML-escaped
    assert "L'atelier « CV & lettre »" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_submission_is_reviewed_once(client, seeker, counsellor, atelier, queues):
    answer_all(seeker, atelier)
    submission = submissions.submit(seeker, atelier)
    submissions.review(submission, counsellor, decision="validated", feedback="Bravo.")
    with pytest.raises(ValueError):
        submissions.review(submission, counsellor, decision="to_revise", feedback="Non.")
    with pytest.raises(ValueError):
        submissions.review(submissions.submit(seeker, atelier), counsellor, decision="maybe", feedback="")

    client.force_login(counsellor)
    response = client.post(submission.review_url(), {"decision": "to_revise", "feedback": "Finalement non."})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.feedback) == (SubmissionStatus.VALIDATED, "<p>Bravo.</p>")
    # Read-only: the review, no form.
    response = client.get(submission.review_url())
    assert response.context["form"] is None
    assert "textarea" not in inspect(response.content.decode()).tags
    assert "<p>Bravo.</p>" in response.content.decode()
    assert ActivityEntry.objects.filter(verb="atelier.reviewed").count() == 1


@pytest.mark.django_db
def test_to_revise_needs_some_feedback(client, seeker, counsellor, atelier):
    answer_all(seeker, atelier)
    submission = submissions.submit(seeker, atelier)
    client.force_login(counsellor)

    response = client.post(submission.review_url(), {"decision": "to_revise", "feedback": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["feedback"]
    response = client.post(submission.review_url(), {"feedback": "Bien."})
    assert response.context["form"].errors["decision"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_resubmission_keeps_history(client, seeker, counsellor, atelier, queues, private_root):
    answer_all(seeker, atelier)
    first_file = answer(
        seeker, atelier, "file", file=ContentFile(b"%PDF-1.4 v1", name="v1.pdf"), file_name="v1.pdf"
    )
    old_file = first_file.file.name
    first = submissions.submit(seeker, atelier)
    step_1 = steps_of(atelier)[0]
    text_id = exercise_id(step_1, "free_text")
    submissions.review(
        first,
        counsellor,
        decision="to_revise",
        feedback="Précisez.",
        exercise_feedback={text_id: "Quel poste ?"},
    )
    assert not Submission.objects.is_waiting(seeker, atelier)  # the answers can be edited again

    # The seeker sees the feedback and the way back to their answers.
    client.force_login(seeker)
    response = client.get(submissions_path(atelier))
    assert response.context["to_revise"] is True
    assert step_1.url in inspect(response.content.decode()).hrefs

    # They revise their answers, then send again.
    answer(seeker, atelier, "free_text", text="<p>Cariste CACES 3 à Lyon.</p>")
    answer(seeker, atelier, "file", file=ContentFile(b"%PDF-1.4 v2", name="v2.pdf"), file_name="v2.pdf")
    response = client.post(submit_path(atelier), {"scope": "whole"})
    assert response.status_code == 302

    second = Submission.objects.latest_for(seeker, atelier)
    assert second.number == 2 and second.status == SubmissionStatus.SUBMITTED
    assert second.snapshot[text_id]["text"] == "<p>Cariste CACES 3 à Lyon.</p>"
    first.refresh_from_db()
    assert first.number == 1 and first.status == SubmissionStatus.TO_REVISE
    assert first.snapshot[text_id]["text"] == "<p>Magasinier à Lyon.</p>"
    assert first.feedback == "<p>Précisez.</p>"
    assert first.exercise_feedback == {text_id: "<p>Quel poste ?</p>"}
    assert [s.number for s in Submission.objects.filter(seeker=seeker)] == [2, 1]

    # Both versions on the seeker's page, newest first; both on the counsellor's side.
    response = client.get(submissions_path(atelier))
    assert [s.number for s in response.context["submissions"]] == [2, 1]
    html = response.content.decode()
    assert html.index("Cariste CACES 3 à Lyon.") < html.index("Magasinier à Lyon.")
    client.force_login(counsellor)
    response = client.get(second.review_url())
    assert [s.number for s in response.context["history"]] == [1]
    assert f'href="{first.review_url()}"' in response.content.decode()
    response = client.get(first.review_url())
    assert "Magasinier à Lyon." in response.content.decode()
    assert "<p>Quel poste ?</p>" in response.content.decode()
    # The first version's document stays readable though the answer holds another one.
    assert client.get(reverse("private_file", kwargs={"name": old_file})).status_code == 200
