"""The e-atelier pages and their exercises: who sees what, answers saved as drafts (by
the form and by autosave) and found again after a reload, free text stored sanitised
and rendered inert, answers locked while waiting for review, progress and query counts.

Messages are compared through `fr()`: the page speaks French once the lead has
translated the msgids, English until then.
"""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.test.utils import WagtailPageTestCase

from activity.models import ActivityEntry
from ateliers.models import (
    Answer,
    AtelierIndexPage,
    AtelierPage,
    AtelierStepPage,
    Submission,
    SubmissionStatus,
)
from core.models import HomePage
from core.modules import ModuleStatus
from tests import xss
from tests.factories import CounsellorFactory, SeekerFactory
from tests.factories import ateliers as build
from tests.xss import corpus_payloads

CLASSIC_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="jAvAsCrIpT&colon;alert(1)">clic</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">texte</p>',
    "</textarea><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
]

FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
    "link", "svg", "math", "template", "img", "details", "marquee", "isindex",
}  # fmt: skip


def fr(message):
    """What the pages say for `message` (a msgid), in the site's language."""
    with translation.override("fr"):
        return translation.gettext(message)


def payloads():
    return CLASSIC_PAYLOADS + corpus_payloads()


def main_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser").find("main")


def executable_parts(element):
    return xss.executable_parts(element, FORBIDDEN_ELEMENTS)


def json_post(client, url, data):
    return client.post(url, data, headers={"X-Requested-With": "fetch", "Accept": "application/json"})


def save_forms(main):
    return [form for form in main.find_all("form") if "/exercices/" in form.get("action", "")]


# ---------------------------------------------------------------------------
# Page types
# ---------------------------------------------------------------------------
class PageTreeRulesTest(WagtailPageTestCase):
    def test_each_page_type_accepts_only_its_children(self):
        self.assertAllowedSubpageTypes(AtelierIndexPage, {AtelierPage})
        self.assertAllowedSubpageTypes(AtelierPage, {AtelierStepPage})
        self.assertAllowedSubpageTypes(AtelierStepPage, set())
        self.assertAllowedParentPageTypes(AtelierPage, {AtelierIndexPage})
        self.assertAllowedParentPageTypes(AtelierStepPage, {AtelierPage})

    def test_a_step_cannot_be_created_under_the_index_nor_the_home_page(self):
        self.assertCanNotCreateAt(AtelierIndexPage, AtelierStepPage)
        self.assertCanNotCreateAt(HomePage, AtelierStepPage)
        self.assertCanNotCreateAt(HomePage, AtelierPage)


@pytest.mark.django_db
def test_a_step_counts_its_exercises(steps):
    assert [step.exercise_count for step in steps] == [2, 2, 1]
    assert list(steps[1].exercises()) == [
        build.exercise_id(steps[1], "self_check"),
        build.exercise_id(steps[1], "file"),
    ]


# ---------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_visitor_reads_the_description_and_steps_and_is_invited_to_log_in(client, atelier, steps):
    index = client.get(atelier.get_parent().url)
    assert index.status_code == 200
    assert atelier.title in index.content.decode()

    response = client.get(atelier.url)
    assert response.status_code == 200
    main = main_of(response)
    text = main.get_text()
    assert (
        atelier.summary in text
        and "Toute personne qui cherche un emploi." in text
        and "Écrire un CV clair" in text
    )
    assert [a.get_text() for a in main.select(".atelier-steps h3 a")] == ["Étape 1", "Étape 2", "Étape 3"]
    assert main.find("a", href=re.compile(r"^/compte/.*\?next=" + re.escape(atelier.url)))
    assert not main.find("progress")

    step = client.get(steps[0].url)
    assert step.status_code == 302 and "?next=" in step.url


@pytest.mark.django_db
def test_a_seeker_sees_the_exercises_to_do_in_a_private_page(client, seeker, steps):
    client.force_login(seeker)
    response = client.get(steps[0].url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    main = main_of(response)
    actions = [form["action"] for form in save_forms(main)]
    assert actions == [
        build.save_url(steps[0], build.exercise_id(steps[0], kind)) for kind in ("free_text", "checklist")
    ]
    assert all(form.has_attr("data-autosave") for form in save_forms(main))
    assert all(form.find("button", type="submit") for form in save_forms(main))  # works without JS
    assert b'src="/static/js/autosave.js"' in response.content
    assert main.find("a", rel="next")["href"] == steps[1].url
    assert main.select_one(f".breadcrumb a[href='{steps[0].get_parent().url}']")

    second = main_of(client.get(steps[1].url))
    upload = second.find("form", enctype="multipart/form-data")
    assert not upload.has_attr("data-autosave")
    file_input = upload.find("input", type="file")
    assert ".pdf" in file_input["accept"] and "application/pdf" in file_input["accept"]
    assert file_input["aria-describedby"].endswith("-file-hint")
    assert second.find("fieldset").find("legend")
    assert second.find("a", rel="prev")["href"] == steps[0].url


@pytest.mark.django_db
def test_staff_read_the_content_but_no_answers_and_cannot_save(client, seeker, counsellor, steps):
    client.force_login(seeker)
    free_text = build.exercise_id(steps[0], "free_text")
    client.post(build.save_url(steps[0], free_text), {"text": "Réponse secrète du demandeur"})

    client.force_login(counsellor)
    response = client.get(steps[0].url)
    assert response.status_code == 200
    main = main_of(response)
    assert not save_forms(main)
    assert "Réponse secrète" not in main.get_text()
    assert "Le poste que je vise" in main.get_text() and "Mes diplômes" in main.get_text()
    overview = client.get(steps[0].get_parent().url)
    assert overview.status_code == 200 and not main_of(overview).find("progress")

    assert client.post(build.save_url(steps[0], free_text), {"text": "x"}).status_code == 403
    assert Answer.objects.get().text == "<p>Réponse secrète du demandeur</p>"


@pytest.mark.django_db
def test_editors_preview_a_draft_step_of_a_draft_atelier(client, rf, editor, home_page):
    draft = build.index(home_page).add_child(instance=AtelierPage(title="Brouillon", summary="…", live=False))
    step = draft.add_child(
        instance=AtelierStepPage(title="Étape en cours", body=build.bodies()[0], live=False)
    )
    client.force_login(editor)
    original = rf.get("/admin/", HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}")

    response = step.make_preview_request(original_request=original)
    assert response.status_code == 200
    main = main_of(response)
    assert main.find("h1").get_text() == "Étape en cours" and not save_forms(main)
    assert "Le poste que je vise" in main.get_text()


@pytest.mark.django_db
def test_a_seeker_never_sees_another_seekers_answers(client, seeker, other_seeker, steps):
    free_text = build.exercise_id(steps[0], "free_text")
    client.force_login(seeker)
    client.post(build.save_url(steps[0], free_text), {"text": "Le texte de Karim"})

    client.force_login(other_seeker)
    assert "Le texte de Karim" not in client.get(steps[0].url).content.decode()
    client.post(build.save_url(steps[0], free_text), {"text": "Le mien"})
    assert Answer.objects.get(seeker=seeker).text == "<p>Le texte de Karim</p>"
    assert Answer.objects.get(seeker=other_seeker).text == "<p>Le mien</p>"


@pytest.mark.django_db
def test_saving_is_a_csrf_protected_post_by_a_seeker_on_an_exercise_of_the_step(client, seeker, steps):
    free_text = build.exercise_id(steps[0], "free_text")
    url = build.save_url(steps[0], free_text)
    assert client.post(url, {"text": "x"}).url.startswith("/compte/")  # anonymous: log in
    assert json_post(client, url, {"text": "x"}).status_code == 403

    client.force_login(seeker)
    assert client.get(url).status_code == 405
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.post(build.save_url(steps[0], unknown), {"text": "x"}).status_code == 404
    other_step = build.exercise_id(steps[1], "self_check")
    assert client.post(build.save_url(steps[0], other_step), {"chosen": "0"}).status_code == 404

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(seeker)
    assert strict.post(url, {"text": "x"}).status_code == 403
    assert not Answer.objects.exists()


# ---------------------------------------------------------------------------
# Each kind of exercise: form, autosave, reload
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_free_text_saves_by_form_and_by_autosave_and_is_there_after_a_reload(client, seeker, steps):
    step = steps[0]
    exercise = build.exercise_id(step, "free_text")
    url = build.save_url(step, exercise)
    client.force_login(seeker)

    response = client.post(url, {"text": "Magasinier en entrepôt.\r\n\r\nCariste, aussi.\r\nDe nuit."})
    assert response.status_code == 302 and response.url == f"{step.url}#exercise-{exercise}"
    answer = Answer.objects.get(seeker=seeker, exercise_id=exercise)
    assert answer.text == "<p>Magasinier en entrepôt.</p>\n<p>Cariste, aussi.<br>\nDe nuit.</p>"
    assert (answer.kind, answer.step_id, answer.atelier_id) == ("free_text", step.pk, step.get_parent().pk)

    page = client.get(step.url)
    assert fr("Your answer is saved.") in page.content.decode()
    textarea = main_of(page).find("textarea", id=f"exercise-{exercise}-text")
    assert textarea.get_text() == "Magasinier en entrepôt.\n\nCariste, aussi.\nDe nuit."

    response = json_post(client, url, {"text": "Vendeuse & caissière"})
    assert response.status_code == 200
    data = response.json()
    assert data["message"].startswith(fr("Draft saved at %(time)s").split("%")[0])
    assert datetime.datetime.fromisoformat(data["saved_at"])
    answer.refresh_from_db()
    assert answer.text == "<p>Vendeuse &amp; caissière</p>"
    assert answer.updated_at > answer.created_at
    textarea = main_of(client.get(step.url)).find("textarea", id=f"exercise-{exercise}-text")
    assert textarea.get_text() == "Vendeuse & caissière"

    json_post(client, url, {"text": "  "})  # emptied: no answer left, the progress follows
    assert not Answer.objects.filter(exercise_id=exercise).exists()


@pytest.mark.django_db
def test_too_long_a_text_is_refused_with_a_clear_message_and_kept_in_the_field(client, seeker, steps):
    step = steps[0]
    exercise = build.exercise_id(step, "free_text")
    client.force_login(seeker)
    text = "mot " * 5001

    response = client.post(build.save_url(step, exercise), {"text": text})
    assert response.status_code == 200
    main = main_of(response)
    error = main.find(id=f"exercise-{exercise}-text-error")
    assert error.get_text().startswith(
        fr(
            "Your text is too long: %(count)s characters, %(max)s at most. Shorten it, then save again."
        ).split("%")[0]
    )
    textarea = main.find("textarea", id=f"exercise-{exercise}-text")
    assert (
        textarea["aria-invalid"] == "true"
        and f"exercise-{exercise}-text-error" in textarea["aria-describedby"]
    )
    assert textarea.get_text() == text
    assert main.find(class_="error-summary").find("a", href=f"#exercise-{exercise}")

    response = json_post(client, build.save_url(step, exercise), {"text": text})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"text"}
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_checklist_saves_the_ticked_items(client, seeker, steps):
    step = steps[0]
    exercise = build.exercise_id(step, "checklist")
    url = build.save_url(step, exercise)
    client.force_login(seeker)

    assert client.post(url, {"ticked": ["0", "2", "2"]}).url == f"{step.url}#exercise-{exercise}"
    assert Answer.objects.get(exercise_id=exercise).data == {"ticked": [0, 2]}
    main = main_of(client.get(step.url))
    boxes = main.find("fieldset").find_all("input", type="checkbox")
    assert [box.has_attr("checked") for box in boxes] == [True, False, True]

    assert json_post(client, url, {"ticked": ["1"]}).status_code == 200
    boxes = main_of(client.get(step.url)).find("fieldset").find_all("input", type="checkbox")
    assert [box.has_attr("checked") for box in boxes] == [False, True, False]

    assert json_post(client, url, {"ticked": ["9"]}).status_code == 400
    assert json_post(client, url, {"ticked": ["-1"]}).status_code == 400
    assert Answer.objects.get(exercise_id=exercise).data == {"ticked": [1]}
    json_post(client, url, {})  # nothing ticked any more
    assert not Answer.objects.filter(exercise_id=exercise).exists()


@pytest.mark.django_db
def test_self_check_shows_right_answers_and_feedback_only_after_checking(client, seeker, steps):
    step = steps[1]
    exercise = build.exercise_id(step, "self_check")
    url = build.save_url(step, exercise)
    client.force_login(seeker)

    before = client.get(step.url).content.decode()
    assert build.SELF_CHECK["question"].replace("'", "&#x27;") in before and "Sa date de naissance" in before
    for choice in build.SELF_CHECK["choices"]:
        assert choice["feedback"].replace("'", "&#x27;") not in before
    assert f"exercise-{exercise}-result" not in before

    response = client.post(url, {"chosen": "1"})
    assert response.url == f"{step.url}#exercise-{exercise}-result"
    assert Answer.objects.get(exercise_id=exercise).data == {"chosen": [1]}
    main = main_of(client.get(step.url))
    result = main.find(id=f"exercise-{exercise}-result")
    assert "exercise__result--wrong" in result["class"]
    assert "Non : elle n'aide pas." in result.get_text()  # the answer chosen
    assert "Oui : le recruteur sait ce que vous cherchez." in result.get_text()  # the right one
    assert "Non : ils viennent à la fin." not in result.get_text()  # neither chosen nor right
    assert main.find("input", id=f"exercise-{exercise}-1").has_attr("checked")

    response = json_post(client, url, {"chosen": "0"})
    assert response.status_code == 200 and response.json()["result"]["all_right"] is True
    result = main_of(client.get(step.url)).find(id=f"exercise-{exercise}-result")
    assert "exercise__result--right" in result["class"]

    for refused in ({}, {"chosen": ["0", "1"]}, {"chosen": "7"}):
        assert json_post(client, url, refused).status_code == 400
    response = client.post(url, {})
    assert response.status_code == 200
    assert main_of(response).find(id=f"exercise-{exercise}-chosen-error")
    assert Answer.objects.get(exercise_id=exercise).data == {"chosen": [0]}


@pytest.mark.django_db
def test_the_cv_builder_saves_its_draft_even_with_errors(client, seeker, steps):
    pytest.importorskip("ateliers.cv")
    step = steps[2]
    exercise = build.exercise_id(step, "cv")
    url = build.save_url(step, exercise)
    client.force_login(seeker)

    response = client.post(url, {"first_name": "Karim", "last_name": "Benali", "headline": "Magasinier"})
    assert response.url == f"{step.url}#exercise-{exercise}"
    cv = Answer.objects.get(exercise_id=exercise).data
    assert cv["identity"]["first_name"] == "Karim" and cv["headline"] == "Magasinier"
    page = client.get(step.url)
    item = next(item for item in page.context["items"] if item.get("kind") == "cv")
    assert item["cv"]["identity"]["last_name"] == "Benali"
    assert set(item["cv_urls"]) == {"apercu", "pdf", "texte"}

    response = json_post(client, url, {"first_name": "Karim", "email": "pas-une-adresse"})
    assert response.status_code == 200
    assert "email" in response.json()["errors"] and response.json()["saved_at"]
    assert Answer.objects.get(exercise_id=exercise).data["identity"]["email"] == "pas-une-adresse"
    response = client.post(url, {"first_name": "Karim", "email": "pas-une-adresse"})
    assert response.status_code == 200 and response.context["items"][1]["errors"]["email"]


# ---------------------------------------------------------------------------
# Free text is stored sanitised and rendered inert
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_xss_payloads_in_free_text_are_stored_sanitised_and_render_inert(client, seeker, steps):
    step = steps[0]
    exercise = build.exercise_id(step, "free_text")
    url = build.save_url(step, exercise)
    client.force_login(seeker)
    failures = []
    for payload in payloads():
        client.post(url, {"text": payload})
        answer = Answer.objects.filter(exercise_id=exercise).first()
        if answer is not None:
            stored = BeautifulSoup(f"<div>{answer.text}</div>", "html.parser")
            failures += [(payload, "stored", problem) for problem in executable_parts(stored)]
        main = main_of(client.get(step.url))
        failures += [(payload, "page", problem) for problem in executable_parts(main)]
    assert failures == []

    # Read-only, while waiting for review: the answer is shown as HTML, sanitised again.
    client.post(
        url, {"text": "<b>gras</b> <img src=x onerror=alert(1)> <a href='javascript:alert(1)'>lien</a>"}
    )
    Submission.objects.create(seeker=seeker, atelier=step.get_parent().specific, number=1)
    main = main_of(client.get(step.url))
    assert main.find("b", string="gras") and executable_parts(main) == []


@pytest.mark.django_db
def test_counsellor_feedback_is_shown_beside_the_answers_and_inert(
    client, seeker, counsellor, atelier, steps
):
    free_text = build.exercise_id(steps[0], "free_text")
    client.force_login(seeker)
    client.post(build.save_url(steps[0], free_text), {"text": "Mon poste"})
    Submission.objects.create(
        seeker=seeker,
        atelier=atelier,
        number=1,
        status=SubmissionStatus.TO_REVISE,
        reviewer=counsellor,
        reviewed_at=timezone.now(),
        feedback="<p>Bon début.</p><script>alert(1)</script>",
        exercise_feedback={free_text: '<p>Précisez le poste.</p><img src=x onerror="alert(1)">'},
    )
    main = main_of(client.get(steps[0].url))
    assert "Bon début." in main.get_text()
    section = main.find(id=f"exercise-{free_text}")
    assert "Précisez le poste." in section.select_one(".exercise__feedback").get_text()
    assert executable_parts(main) == []
    assert save_forms(main)  # to revise: the answers can change again


# ---------------------------------------------------------------------------
# Locked while waiting for review
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_answers_are_read_only_while_the_work_waits_for_review(client, seeker, atelier, steps):
    step = steps[0]
    free_text, checklist = build.exercise_id(step, "free_text"), build.exercise_id(step, "checklist")
    client.force_login(seeker)
    client.post(build.save_url(step, free_text), {"text": "Version envoyée"})
    client.post(build.save_url(step, checklist), {"ticked": ["1"]})
    Submission.objects.create(seeker=seeker, atelier=atelier, number=1, status=SubmissionStatus.SUBMITTED)

    response = client.get(step.url)
    main = main_of(response)
    assert not save_forms(main)
    assert b"js/autosave.js" not in response.content
    assert "Version envoyée" in main.find(id=f"exercise-{free_text}").get_text()
    warning = fr(
        "Sent for review on %(date)s: you can change your answers once your counsellor has answered."
    )
    assert warning.split("%")[0] in main.get_text()

    response = client.post(build.save_url(step, free_text), {"text": "Changement"})
    assert response.status_code == 302 and response.url == f"{step.url}#exercise-{free_text}"
    response = json_post(client, build.save_url(step, checklist), {"ticked": ["0"]})
    assert response.status_code == 409 and response.json()["locked"] is True
    assert Answer.objects.get(exercise_id=free_text).text == "<p>Version envoyée</p>"
    assert Answer.objects.get(exercise_id=checklist).data == {"ticked": [1]}


# ---------------------------------------------------------------------------
# Activity log, progress and the overview
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_drafts_write_the_activity_log_at_most_once_an_hour_per_exercise(client, seeker, atelier, steps):
    free_text, checklist = build.exercise_id(steps[0], "free_text"), build.exercise_id(steps[0], "checklist")
    client.force_login(seeker)
    for text in ("M", "Ma", "Mag"):
        json_post(client, build.save_url(steps[0], free_text), {"text": text})
    json_post(client, build.save_url(steps[0], checklist), {"ticked": ["0"]})
    entries = ActivityEntry.objects.filter(seeker=seeker, verb="atelier.answer_saved")
    assert entries.count() == 2
    assert entries.filter(data__exercise=free_text).get().target_label == atelier.title

    entries.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    json_post(client, build.save_url(steps[0], free_text), {"text": "Magasinier"})
    assert entries.filter(data__exercise=free_text).count() == 2


@pytest.mark.django_db
def test_progress_goes_through_the_module_status_interface_in_three_queries(
    client, seeker, other_seeker, atelier, steps
):
    client.force_login(seeker)
    client.post(build.save_url(steps[0], build.exercise_id(steps[0], "free_text")), {"text": "Vendeuse"})
    client.post(build.save_url(steps[1], build.exercise_id(steps[1], "self_check")), {"chosen": "0"})
    second = build.atelier(atelier.get_parent().get_parent(), title="Atelier réseaux", kind="social")
    pairs = [(seeker.pk, atelier.pk), (other_seeker.pk, atelier.pk), (seeker.pk, second.pk)]

    with CaptureQueriesContext(connection) as queries:
        progress = AtelierPage.progress_for_many(pairs)
    assert len(queries) == 3  # exercises per atelier, answers per seeker and atelier, submissions
    assert progress[(seeker.pk, atelier.pk)].status == ModuleStatus.IN_PROGRESS
    assert progress[(seeker.pk, atelier.pk)].percent == 40  # 2 exercises out of 5
    assert atelier.progress_for(other_seeker).status == ModuleStatus.NOT_STARTED
    assert second.progress_for(seeker).status == ModuleStatus.NOT_STARTED


@pytest.mark.django_db
def test_the_overview_shows_progress_and_where_to_continue(client, seeker, atelier, steps):
    client.force_login(seeker)
    main = main_of(client.get(atelier.url))
    assert main.find("progress")["value"] == "0"
    assert main.select_one(".panel .actions a.button")["href"] == steps[0].url
    assert not main.find("a", href=re.compile("envoyer/$"))  # nothing to send yet

    step = steps[0]
    client.post(build.save_url(step, build.exercise_id(step, "free_text")), {"text": "Vendeuse"})
    client.post(build.save_url(step, build.exercise_id(step, "checklist")), {"ticked": ["0"]})
    response = client.get(atelier.url)
    assert "no-store" in response["Cache-Control"]
    main = main_of(response)
    assert main.find("progress")["value"] == "40"
    assert main.select(".atelier-steps .tag")[0]["class"] == ["tag", "tag--done"]
    assert main.select_one(".panel .actions a.button")["href"] == steps[1].url
    assert main.find("a", href=atelier.url + "envoyer/")

    Submission.objects.create(seeker=seeker, atelier=atelier, number=1, status=SubmissionStatus.SUBMITTED)
    main = main_of(client.get(atelier.url))
    assert not main.find("a", href=atelier.url + "envoyer/")
    assert main.find("a", href=atelier.url + "envois/")


# ---------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------
# Measured: 16 and 17 at both sizes (most are Wagtail routing the URL; the overview's
# progress is read in three, see AtelierPage.progress_for_many); a little room.
MAX_QUERIES = {"overview": 17, "step": 19}


def populate(home_page, seeker, *, ateliers, others):
    built = [build.atelier(home_page, title=f"Atelier {n}") for n in range(ateliers)]
    for page in built:
        for person in [seeker, *(SeekerFactory() for _ in range(others))]:
            for step in build.steps_of(page):
                for exercise_id, block in step.exercises().items():
                    if block.block_type in ("free_text", "checklist", "self_check"):
                        data = {"ticked": [0, 1]} if block.block_type == "checklist" else {"chosen": [0]}
                        Answer.objects.create(
                            seeker=person, atelier=page, step=step, exercise_id=exercise_id,
                            kind=block.block_type, text="<p>Réponse</p>", data=data,
                        )  # fmt: skip
        for number in range(1, ateliers + 1):
            Submission.objects.create(
                seeker=seeker, atelier=page, number=number, status=SubmissionStatus.TO_REVISE,
                reviewed_at=timezone.now(), reviewer=CounsellorFactory(), feedback="<p>Bien.</p>",
                exercise_feedback={exercise_id: "<p>Oui.</p>" for step in build.steps_of(page) for exercise_id in step.exercises()},
            )  # fmt: skip
    return built


@pytest.mark.django_db
@pytest.mark.parametrize("size", [{"ateliers": 1, "others": 0}, {"ateliers": 3, "others": 4}])
def test_query_counts_do_not_grow_with_the_answers(
    client, home_page, seeker, size, django_assert_max_num_queries
):
    page = populate(home_page, seeker, **size)[-1]
    steps = build.steps_of(page)
    client.force_login(seeker)
    client.get(page.url)  # warm the site and content-type caches

    with django_assert_max_num_queries(MAX_QUERIES["overview"]):
        assert client.get(page.url).status_code == 200
    for step in steps:
        with django_assert_max_num_queries(MAX_QUERIES["step"]):
            assert client.get(step.url).status_code == 200
