"""A job seeker builds a CV in an e-atelier, sends it for review, reads the counsellor's
feedback and sends it again, in Chromium.

The journey: the seeker logs in, opens the atelier's overview, answers the free-text
exercise of step 1 (the draft saves itself: it is still there after a reload), fills the
CV builder of step 3 (identity, job title, an experience, a skill) and watches the live
preview follow, exports the classic PDF (its text holds the name and the job title) and
sends the whole atelier for review. The counsellor finds it in the review queue, writes
an overall feedback and one on the CV (holding an XSS payload), asks for a revision;
the seeker gets an e-mail (an RQ job, run here). The seeker reads the feedback (the
payload is inert: no element with an event handler, no dialog), revises the free-text
answer and sends again: "envois/" shows submission n° 2 waiting and n° 1 with its
feedback. axe-core runs on the overview, the exercise page (after the reload), the CV
page (empty, then filled in), the counsellor's review page and the submissions page.

The atelier strings are not all translated yet: elements are found by their stable
attributes (form actions, hrefs, field names, data-* hooks of static/js/autosave.js and
cv.js) and visible texts by regexes accepting French or English.
"""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from ateliers.models import Answer, CVExport, Submission, SubmissionStatus
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import ateliers as build

REVIEW_QUEUE_URL = "/portefeuille/relectures/"

FIRST_NAME, LAST_NAME = "Anaïs", "Lefèvre"
JOB_TITLE = "Cariste magasinier"
EXPERIENCE = "Préparatrice de commandes"
EMPLOYER = "Logistique du Rhône"
SKILL = "Conduite de chariot CACES 3"
DRAFT = "Je vise un poste de cariste en entrepôt."
REVISED = "Je vise un poste de cariste magasinier, en CDI, près de Lyon."
OVERALL_FEEDBACK = "Bon début : précisez le type de contrat que vous cherchez."
CV_FEEDBACK = "Ajoutez les dates de votre expérience."
XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'

SAVED = re.compile(r"brouillon|enregistr|draft|saved", re.IGNORECASE)
SENT = re.compile(r"envoy|sent", re.IGNORECASE)
TO_REVISE = re.compile(r"retravailler|revoir|réviser|corriger|revise", re.IGNORECASE)
# The drafts save 1.2 s after the last keystroke (static/js/autosave.js), then the CV
# preview is fetched again: room for a slow machine, never a fixed sleep.
AUTOSAVE_TIMEOUT = 15_000
WAITING = re.compile(r"attente|waiting", re.IGNORECASE)


def url_path(path):
    """Matches the live server URL of `path` (query string and fragment allowed)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """CV exports (private files) go to this test's own folder (as tests/ateliers does)."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def workshop(home_page):
    """ "Atelier CV": step 1 free text + checklist, step 2 self-check + file, step 3 CV."""
    return build.atelier(home_page)


def autosave_ready(form):
    """static/js/autosave.js has set the form up (it shows the "saved automatically"
    hint): typing before that would not be saved until the next change."""
    expect(form.locator("[data-autosave-hint]")).to_be_visible()


def wait_for_autosave(form):
    """The status line of an autosaved form says the draft is saved (no fixed sleep)."""
    status = form.locator("[data-autosave-status]")
    expect(status).to_have_attribute("data-state", "saved", timeout=AUTOSAVE_TIMEOUT)
    expect(status).to_have_text(SAVED)


def log_out(page):
    page.locator("header form[action='/compte/deconnexion/'] button[type='submit']").click()
    expect(page).to_have_url(url_path("/"))


def send_whole_atelier(page, submit_url):
    page.goto(submit_url)
    form = (
        page.get_by_role("main")
        .locator("form[method='post']")
        .filter(has=page.locator("input[name='scope']"))
    )
    form.locator("input[name='scope'][value='whole']").check()
    form.locator("button[type='submit']").click()


def test_seeker_builds_a_cv_sends_it_and_revises_it_after_review(
    page, workshop, seeker, counsellor, password, queues, run_jobs, private_root
):
    seeker.first_name, seeker.last_name = FIRST_NAME, LAST_NAME
    seeker.save(update_fields=["first_name", "last_name"])
    step_1, _step_2, step_3 = build.steps_of(workshop)
    free_text_id = build.exercise_id(step_1, "free_text")
    cv_id = build.exercise_id(step_3, "cv")
    submit_url = workshop.url + "envoyer/"
    submissions_url = workshop.url + "envois/"
    main = page.get_by_role("main")

    # An XSS payload must never run: any dialog fails the test (checked at the end).
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    # --- The seeker opens the atelier ---------------------------------------------
    log_in(page, seeker.email, password)
    expect(page).to_have_url(url_path("/mon-parcours/"))
    page.goto(workshop.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(workshop.title)
    expect(main.locator(".atelier-steps__step")).to_have_count(3)
    assert_no_serious_axe_violations(page)
    main.locator(f".atelier-steps a[href='{step_1.url}']").click()

    # --- Step 1: a free-text answer saves itself and survives a reload ---------------
    expect(page).to_have_url(url_path(step_1.url))
    free_text = main.locator(f"#exercise-{free_text_id} form[data-autosave]")
    textarea = free_text.locator("textarea[name='text']")
    expect(textarea).to_have_value("")
    autosave_ready(free_text)
    textarea.fill(DRAFT)
    wait_for_autosave(free_text)
    assert Answer.objects.get(seeker=seeker, exercise_id=free_text_id).text == f"<p>{DRAFT}</p>"

    page.reload()
    expect(textarea).to_have_value(DRAFT)
    # The status line now gives the time of the last save, from the server.
    expect(free_text.locator("[data-autosave-status]")).not_to_be_empty()
    assert_no_serious_axe_violations(page)

    # --- Step 3: the CV builder and its live preview ---------------------------------
    page.goto(step_3.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(step_3.title)
    builder = main.locator(f"#exercise-{cv_id} [data-cv-builder]")
    cv_form = builder.locator("form[data-cv-form]")
    preview = builder.locator("[data-cv-preview] [data-cv-preview-content]")
    expect(preview.locator(".cv-paper__empty")).to_be_visible()
    autosave_ready(cv_form)  # cv.js, loaded before autosave.js, is set up too
    assert_no_serious_axe_violations(page)

    cv_form.locator("input[name='first_name']").fill(FIRST_NAME)
    cv_form.locator("input[name='last_name']").fill(LAST_NAME)
    cv_form.locator("input[name='headline']").fill(JOB_TITLE)
    cv_form.locator("input[name='experiences-0-title']").fill(EXPERIENCE)
    cv_form.locator("input[name='experiences-0-employer']").fill(EMPLOYER)
    cv_form.locator("textarea[name='skills']").fill(SKILL)
    # The preview is fetched after each save: once it shows the last field filled, the
    # whole CV is saved.
    expect(preview.locator(".cv-paper__headline")).to_have_text(JOB_TITLE, timeout=AUTOSAVE_TIMEOUT)
    expect(preview.locator(".cv-paper__tags li")).to_have_text([SKILL], timeout=AUTOSAVE_TIMEOUT)
    expect(preview.locator(".cv-paper__name")).to_have_text(f"{FIRST_NAME} {LAST_NAME}")
    expect(preview.locator(".cv-paper__entry-title")).to_contain_text(EXPERIENCE)
    wait_for_autosave(cv_form)
    assert_no_serious_axe_violations(page)

    # The classic PDF: downloaded, kept as version 1, with the name and the job title.
    export = main.locator(f"#exercise-{cv_id} form[data-cv-export]")
    with page.expect_download() as download_info:
        export.locator("button[name='template'][value='classic']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert f"{FIRST_NAME} {LAST_NAME}" in text
    assert JOB_TITLE in text
    assert EXPERIENCE in text
    cv_export = CVExport.objects.get(seeker=seeker)
    assert (cv_export.version, cv_export.template) == (1, "classic")
    assert Path(private_root, cv_export.pdf.name).read_bytes() == pdf
    # The versions list refreshes itself after the export (cv.js: after 2.5 s, or 7 s).
    expect(main.locator(f"#exercise-{cv_id}-versions tbody tr")).to_have_count(1, timeout=AUTOSAVE_TIMEOUT)

    # --- The seeker sends the whole atelier -----------------------------------------
    send_whole_atelier(page, submit_url)
    expect(page).to_have_url(url_path(submissions_url))
    expect(main.locator(".messages .message--success")).to_contain_text(SENT)
    expect(main.locator("section.submission")).to_have_count(1)
    expect(main.locator("#envoi-1 h2 .tag")).to_have_text(WAITING)
    first = Submission.objects.get(seeker=seeker, atelier=workshop)
    assert (first.number, first.status) == (1, SubmissionStatus.SUBMITTED)
    assert first.snapshot[cv_id]["data"]["headline"] == JOB_TITLE
    log_out(page)

    # --- The counsellor reviews it: to revise ----------------------------------------
    log_in(page, counsellor.email, password)
    page.goto(REVIEW_QUEUE_URL)
    review_url = f"/portefeuille/relectures/{first.pk}/"
    rows = main.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("rowheader")).to_have_text(seeker.get_full_name())
    rows.locator(f"a[href='{review_url}']").click()

    expect(page).to_have_url(url_path(review_url))
    review_form = main.locator("form[method='post']").filter(has=page.locator("input[name='decision']"))
    # The CV sent is shown as its preview, beside the field for its feedback.
    expect(main.locator(".cv-paper__headline")).to_have_text(JOB_TITLE)
    assert_no_serious_axe_violations(page)
    review_form.locator("textarea[name='feedback']").fill(OVERALL_FEEDBACK)
    review_form.locator(f"textarea[name='exercise_{cv_id}']").fill(f"{CV_FEEDBACK} {XSS}")
    review_form.locator("input[name='decision'][value='to_revise']").check()
    review_form.locator("button[type='submit']").click()

    expect(page).to_have_url(url_path(REVIEW_QUEUE_URL))
    expect(main.locator(".messages .message--success")).to_contain_text(workshop.title)
    expect(main.locator("table tbody tr")).to_have_count(0)
    first.refresh_from_db()
    assert first.status == SubmissionStatus.TO_REVISE
    assert first.reviewer == counsellor
    assert "onerror" not in first.exercise_feedback[cv_id]
    assert "<script" not in first.exercise_feedback[cv_id]

    # The seeker's e-mail: an RQ job, queued once the review was committed, run here.
    assert any(job.func_name.endswith("deliver_email") for job in queues["default"].jobs)
    assert run_jobs("default") >= 1
    messages_to_seeker = [message for message in mail.outbox if message.to == [seeker.email]]
    assert len(messages_to_seeker) == 1
    assert workshop.title in messages_to_seeker[0].subject
    assert submissions_url in messages_to_seeker[0].body
    log_out(page)

    # --- The seeker reads the feedback --------------------------------------------
    log_in(page, seeker.email, password)
    page.goto(submissions_url)
    submission_1 = main.locator("#envoi-1")
    expect(submission_1.locator("h2 .tag")).to_have_text(TO_REVISE)
    expect(submission_1.locator(".callout").first).to_contain_text(OVERALL_FEEDBACK)
    cv_answer = submission_1.locator(f"#envoi-1-exercice-{cv_id}")
    expect(cv_answer.locator(".answer__feedback")).to_contain_text(CV_FEEDBACK)
    # The payload is inert: no element carries an event handler, the tags are gone.
    expect(page.locator("[onerror]")).to_have_count(0)
    expect(cv_answer.locator(".answer__feedback img, .answer__feedback script")).to_have_count(0)
    assert_no_serious_axe_violations(page)

    # "Revise my answers" leads to step 1, open again, with the overall feedback.
    main.locator(f".panel--highlight a[href='{step_1.url}']").click()
    expect(page).to_have_url(url_path(step_1.url))
    expect(main.locator("section.callout").first).to_contain_text(OVERALL_FEEDBACK)
    expect(textarea).to_have_value(DRAFT)
    autosave_ready(free_text)
    textarea.fill(REVISED)
    wait_for_autosave(free_text)

    # The CV step shows the counsellor's feedback on the CV, inert too.
    page.goto(step_3.url)
    expect(main.locator(f"#exercise-{cv_id} .exercise__feedback")).to_contain_text(CV_FEEDBACK)
    expect(page.locator("[onerror]")).to_have_count(0)

    # --- Sent again: n° 2 waits, n° 1 keeps its feedback ------------------------------
    send_whole_atelier(page, submit_url)
    expect(page).to_have_url(url_path(submissions_url))
    expect(main.locator("section.submission")).to_have_count(2)
    expect(main.locator("section.submission").first).to_have_attribute("id", "envoi-2")
    expect(main.locator("#envoi-2 h2 .tag")).to_have_text(WAITING)
    expect(main.locator(f"#envoi-2-exercice-{free_text_id}")).to_contain_text(REVISED)
    expect(main.locator("#envoi-2 .answer__feedback")).to_have_count(0)
    expect(main.locator("#envoi-1 h2 .tag")).to_have_text(TO_REVISE)
    expect(main.locator(f"#envoi-1-exercice-{free_text_id}")).to_contain_text(DRAFT)
    expect(main.locator(f"#envoi-1-exercice-{cv_id} .answer__feedback")).to_contain_text(CV_FEEDBACK)
    expect(main.locator("#envoi-1")).to_contain_text(OVERALL_FEEDBACK)
    numbers = list(
        Submission.objects.filter(seeker=seeker, atelier=workshop)
        .values_list("number", "status")
        .order_by("number")
    )
    assert numbers == [(1, SubmissionStatus.TO_REVISE), (2, SubmissionStatus.SUBMITTED)]

    assert dialogs == [], f"A dialog opened: {dialogs}"
