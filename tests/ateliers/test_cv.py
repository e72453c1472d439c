"""The CV builder: the CV's cleaning, its plain-text and PDF exports (tagged, both
templates), versions kept and readable by the right people only, the builder's
routes, and XSS payloads in every CV field rendered inert everywhere the CV shows.

Messages are compared through `fr()`: the page speaks French once the lead has
translated the msgids, English until then.
"""

import html
import io
import re
import threading

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models import Max, Min
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext
from pypdf import PdfReader

from activity.models import ActivityEntry
from ateliers import cv as cvlib
from ateliers.models import Answer, CVExport
from ateliers.views import cv as cv_views
from ateliers.views.cv import save_version
from tests import xss
from tests.factories import CounsellorFactory
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
    "'><img src=x onerror=alert(1)>",
    "</option></select><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    "</template><img src=x onerror=alert(1)>",
    '<link rel=stylesheet href="http://evil.test/x.css">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
]
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
    "link", "svg", "math", "template", "img", "details", "marquee", "isindex", "form", "button",
}  # fmt: skip

CV_POST = {
    "first_name": "Karim",
    "last_name": "Benali",
    "email": "karim.benali@exemple.test",
    "phone": "06 12 34 56 78",
    "city": "Lyon",
    "headline": "Magasinier cariste",
    "summary": "Six ans en entrepôt, CACES 1, 3 et 5.\n\nDisponible tout de suite.",
    "experiences-0-title": "Préparateur de commandes",
    "experiences-0-employer": "Logistique Rhône",
    "experiences-0-place": "Vénissieux",
    "experiences-0-start": "03/2019",
    "experiences-0-end": "12/2024",
    "experiences-0-description": "- 200 commandes par jour\n- Inventaires tournants",
    "education-0-title": "CACES R489",
    "education-0-school": "AFPA",
    "education-0-year": "2018",
    "skills": "Gestion des stocks\nChariot élévateur",
    "languages-0-name": "Arabe",
    "languages-0-level": "b2",
    "interests": "Football",
}


def fr(message):
    with translation.override("fr"):
        return translation.gettext(message)


def query(data):
    posted = QueryDict(mutable=True)
    for key, value in data.items():
        posted[key] = value
    return posted


def parsed(data):
    return cvlib.parse_form(query(data))


def the_cv(**changes):
    cv, errors = parsed({**CV_POST, **changes})
    assert errors == {}
    return cv


def pdf_reader(content):
    return PdfReader(io.BytesIO(content))


def pdf_text(content):
    return "\n".join(page.extract_text() for page in pdf_reader(content).pages)


def payloads():
    return CLASSIC_PAYLOADS + corpus_payloads()


def executable_parts(element):
    return xss.executable_parts(element, FORBIDDEN_ELEMENTS)


def soup(html):
    return BeautifulSoup(html, "html.parser")


# ---------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------
@pytest.fixture
def cv_step(steps):
    return steps[2]


@pytest.fixture
def cv_id(cv_step):
    return build.exercise_id(cv_step, "cv")


def url(step, exercise, action):
    return step.url + step.reverse_subpage("cv", kwargs={"exercise_id": exercise, "action": action})


def save(client, step, exercise, data):
    """Post the builder's form as the browser does without JavaScript."""
    return client.post(build.save_url(step, exercise), data)


def export(client, step, exercise, template="classic"):
    return client.post(url(step, exercise, "pdf"), {"template": template})


def store(seeker, atelier, step, exercise, cv):
    answer, _created = Answer.objects.update_or_create(
        seeker=seeker,
        exercise_id=exercise,
        defaults={"atelier": atelier, "step": step, "kind": "cv", "data": cv},
    )
    return answer


def first_pdf_url(seeker):
    return CVExport.objects.get(seeker=seeker, version=1).pdf.url


def content_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# ---------------------------------------------------------------------------
# Cleaning: parse_form
# ---------------------------------------------------------------------------
def test_the_form_gives_a_complete_cv_of_plain_text():
    cv, errors = parsed(CV_POST)
    assert errors == {}
    assert list(cv) == list(cvlib.EMPTY_CV)
    assert cv["identity"] == {
        "first_name": "Karim",
        "last_name": "Benali",
        "email": "karim.benali@exemple.test",
        "phone": "06 12 34 56 78",
        "city": "Lyon",
    }
    assert cv["summary"] == "Six ans en entrepôt, CACES 1, 3 et 5.\n\nDisponible tout de suite."
    assert cv["experiences"] == [
        {
            "title": "Préparateur de commandes",
            "employer": "Logistique Rhône",
            "place": "Vénissieux",
            "start": "03/2019",
            "end": "12/2024",
            "description": "- 200 commandes par jour\n- Inventaires tournants",
        }
    ]
    assert cv["education"] == [{"title": "CACES R489", "school": "AFPA", "year": "2018", "description": ""}]
    assert cv["skills"] == ["Gestion des stocks", "Chariot élévateur"]
    assert cv["languages"] == [{"name": "Arabe", "level": "b2"}]
    assert cv["interests"] == ["Football"]


def test_values_are_trimmed_and_lose_control_characters_but_html_stays_text():
    cv, errors = parsed(
        {
            "first_name": "  Karim \t ",
            "last_name": "Ben\u202eali\x00",
            "headline": "Magasinier\r\ncariste",
            "summary": "  Un.  \r\n\r\n\r\n\r\n  Deux  \x07",
            "city": "<b>Lyon</b>",
        }
    )
    assert errors == {}
    assert cv["identity"]["first_name"] == "Karim"
    assert cv["identity"]["last_name"] == "Benali"
    assert cv["headline"] == "Magasinier cariste"  # one line
    assert cv["summary"] == "Un.\n\nDeux"  # paragraphs kept, at most one blank line
    assert cv["identity"]["city"] == "<b>Lyon</b>"  # never HTML: shown as typed, escaped


def test_repeated_groups_drop_empty_entries_and_keep_the_posted_order():
    cv, errors = parsed(
        {
            "experiences-0-title": " ",
            "experiences-0-employer": "",
            "experiences-3-title": "Cariste",
            "experiences-12-title": "Vendeur",
            "experiences-7-title": "Serveur",
            "experiences-x-title": "ignoré",
            "languages-0-name": "Anglais",
            "languages-2-level": "",
        }
    )
    assert errors == {}
    assert [entry["title"] for entry in cv["experiences"]] == ["Cariste", "Serveur", "Vendeur"]
    assert cv["languages"] == [{"name": "Anglais", "level": ""}]


def test_lists_are_one_item_per_line_without_bullets_nor_duplicates():
    cv, _errors = parsed({"skills": "- Excel\n• Word\n\nexcel\n  Caces 3  \n", "interests": "* Football"})
    assert cv["skills"] == ["Excel", "Word", "Caces 3"]
    assert cv["interests"] == ["Football"]


def test_invalid_email_phone_and_level_are_kept_as_typed_with_clear_errors():
    cv, errors = parsed(
        {
            "first_name": "Karim",
            "email": "karim@",
            "phone": "06 12 AB",
            "languages-0-name": "Anglais",
            "languages-0-level": "courant",
        }
    )
    assert cv["identity"]["email"] == "karim@" and cv["identity"]["phone"] == "06 12 AB"
    assert set(errors) == {"email", "phone", "languages-0-level"}
    assert errors["email"] == fr("E-mail: enter an address like name@example.com.")
    assert errors["languages-0-level"] == fr("Language %(number)s: choose a level from the list.") % {
        "number": 1
    }
    for phone in ("+33 6 12 34 56 78", "06.12.34.56.78", "(0)4 72 00 00 00"):
        assert "phone" not in parsed({"phone": phone})[1]
    for phone in ("12345", "06 12 34 56 78 +1", "6" * 25):
        assert "phone" in parsed({"phone": phone})[1]


def test_an_entry_without_its_title_is_named_in_the_error():
    _cv, errors = parsed(
        {
            "experiences-0-title": "Cariste",
            "experiences-4-employer": "Carrefour",
            "education-1-school": "AFPA",
        }
    )
    assert errors == {
        "experiences-1-title": fr("Experience %(number)s: give the job title.") % {"number": 2},
        "education-0-title": fr("Training %(number)s: give the name of the diploma or training.")
        % {"number": 1},
    }


def test_errors_are_those_of_the_saved_cv():
    cv, errors = parsed({"email": "non", "experiences-5-employer": "Lidl", "languages-3-level": "zz"})
    assert errors == cvlib.validate(cv)


def test_too_long_values_are_cut_and_reported():
    cv, errors = parsed(
        {
            "headline": "x" * 500,
            "summary": "y" * 5000,
            "experiences-3-title": "Cariste",
            "experiences-9-title": "Vendeur",
            "experiences-9-description": "z" * 2000,
            "skills": "s" * 200,
        }
    )
    assert len(cv["headline"]) == cvlib.HEADLINE_MAX
    assert len(cv["summary"]) == cvlib.SUMMARY_MAX
    assert len(cv["experiences"][1]["description"]) == cvlib.DESCRIPTION_MAX
    assert len(cv["skills"][0]) == 80
    # Named after the saved CV: the second experience.
    assert set(errors) == {"headline", "summary", "experiences-1-description", "skills"}


def test_no_more_entries_and_items_than_the_limits():
    data = {f"experiences-{n}-title": f"Poste {n}" for n in range(40)}
    data["skills"] = "\n".join(f"Compétence {n}" for n in range(50))
    cv, errors = parsed(data)
    assert len(cv["experiences"]) == cvlib.GROUPS["experiences"]["max"]
    assert len(cv["skills"]) == 30 and "skills" in errors


def test_the_buttons_without_javascript_add_remove_and_move_entries():
    base = {"experiences-0-title": "A", "experiences-1-title": "B", "experiences-2-title": "C"}
    cv, errors = parsed({**base, "add": "experiences"})
    assert [entry["title"] for entry in cv["experiences"]] == ["A", "B", "C", ""]
    assert errors == {}  # the new, empty slot is no error
    cv, _errors = parsed({**base, "remove": "experiences-1"})
    assert [entry["title"] for entry in cv["experiences"]] == ["A", "C"]
    cv, _errors = parsed({**base, "move": "experiences-2"})
    assert [entry["title"] for entry in cv["experiences"]] == ["A", "C", "B"]
    cv, _errors = parsed({**base, "move": "experiences-0", "remove": "education-0", "add": "nothing"})
    assert [entry["title"] for entry in cv["experiences"]] == ["A", "B", "C"]
    cv, _errors = parsed({"add": "languages"})
    assert cv["languages"] == [{"name": "", "level": ""}]
    assert cvlib.is_empty(cv)


def test_normalize_survives_whatever_is_stored():
    assert cvlib.normalize(None) == cvlib.EMPTY_CV
    junk = {"identity": "x", "skills": "pas une liste", "experiences": [3, {"title": 4, "employer": "Lidl"}]}
    cv = cvlib.normalize(junk)
    assert cv["identity"] == cvlib.EMPTY_CV["identity"] and cv["skills"] == []
    assert cv["experiences"] == [
        {**dict.fromkeys(cvlib.GROUPS["experiences"]["fields"], ""), "employer": "Lidl"}
    ]


def test_an_empty_cv_or_one_without_a_name_or_with_errors_is_not_exported():
    assert cvlib.export_problem({}) == fr("Your CV is empty: fill in the CV builder before exporting it.")
    assert cvlib.export_problem(parsed({"add": "experiences"})[0]) is not None
    assert cvlib.export_problem(parsed({"headline": "Cariste"})[0]) == fr(
        "Your CV has no name: give your first and last name before exporting it."
    )
    problem = cvlib.export_problem(parsed({"last_name": "Benali", "email": "non"})[0])
    assert fr("E-mail: enter an address like name@example.com.") in problem
    assert cvlib.export_problem(the_cv()) is None


def test_language_levels_are_the_same_in_the_form_and_the_exports():
    html = render_to_string(
        "ateliers/cv/entry.html",
        {
            "group": "languages",
            "index": "0",
            "number": 1,
            "entry": {"name": "Anglais", "level": "c1"},
            "prefix": "p-",
        },
    )
    options = soup(html).find("select").find_all("option")
    assert [option["value"] for option in options] == ["", *cvlib.LANGUAGE_LEVELS]
    for option in options[1:]:
        assert option.get_text(strip=True) == cvlib.level_label(option["value"])
    assert soup(html).find("option", selected=True)["value"] == "c1"


def test_a_level_not_in_the_list_is_shown_kept_and_to_be_chosen_again():
    """A level typed before the list existed ("courant") is not lost on the next save."""
    cv = cvlib.normalize(
        {"identity": {"last_name": "Benali"}, "languages": [{"name": "Arabe", "level": "courant"}]}
    )
    assert cvlib.prepare(cv)["languages"][0]["level_label"] == "courant"
    assert "Arabe – courant" in soup(render_to_string("ateliers/cv/preview.html", {"cv": cv})).get_text(" ")
    html = render_to_string(
        "ateliers/cv/entry.html",
        {"group": "languages", "index": "0", "number": 1, "entry": cv["languages"][0], "prefix": "p-"},
    )
    assert soup(html).find("option", selected=True)["value"] == "courant"
    assert set(cvlib.validate(cv)) == {"languages-0-level"}
    assert cvlib.export_problem(cv) is not None


# ---------------------------------------------------------------------------
# Exports: plain text and PDF
# ---------------------------------------------------------------------------
def test_the_text_version_is_plain_one_column_text():
    cv = the_cv()
    text = cvlib.render_text(cv)
    lines = text.splitlines()
    assert lines[:2] == ["Karim Benali", "Magasinier cariste"]
    assert "Préparateur de commandes – Logistique Rhône · Vénissieux" in text
    assert "03/2019 – 12/2024" in text
    assert "- 200 commandes par jour" in text and "- Chariot élévateur" in text
    assert "karim.benali@exemple.test" in text and "06 12 34 56 78" in text
    assert "\t" not in text and "<" not in text and "|" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    # Six headings, in capitals, underlined.
    headings = [lines[n - 1] for n in range(1, len(lines)) if set(lines[n]) == {"="}]
    assert headings == [
        pgettext("CV", heading).upper()
        for heading in (
            "Profile",
            "Professional experience",
            "Education and training",
            "Skills",
            "Languages",
            "Interests",
        )
    ]


def test_the_text_version_leaves_out_what_is_empty():
    text = cvlib.render_text(
        parsed({"first_name": "Karim", "experiences-0-title": "Cariste", "add": "education"})[0]
    )
    heading = pgettext("CV", "Professional experience").upper()
    assert text == f"Karim\n\n{heading}\n{'=' * len(heading)}\nCariste\n"


@pytest.mark.parametrize("template", ["classic", "modern"])
def test_the_pdf_is_tagged_titled_and_its_text_selectable(template):
    pdf = cvlib.render_pdf(the_cv(), template)
    reader = pdf_reader(pdf)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]) == translation.get_language()
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "CV – Karim Benali"
    assert reader.metadata.author == "Karim Benali"
    text = pdf_text(pdf)
    for expected in (
        "Karim Benali",
        "Magasinier cariste",
        "Préparateur de commandes",
        "karim.benali@exemple.test",
    ):
        assert expected in text
    assert len(reader.pages) == 1


@pytest.mark.parametrize("template", ["classic", "modern"])
def test_the_pdf_is_structured_with_headings_and_lists(template):
    reader = pdf_reader(cvlib.render_pdf(the_cv(), template))
    tags = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            tags.append(str(node["/S"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if kid is not None and hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert tags.count("/H1") == 1
    assert tags.count("/H2") >= 5
    assert "/H3" in tags and "/L" in tags and "/LI" in tags


def test_a_long_cv_runs_on_a_second_page_with_both_templates():
    data = {**CV_POST}
    for n in range(12):
        data[f"experiences-{n}-title"] = f"Poste {n}"
        data[f"experiences-{n}-description"] = "\n".join(f"- Tâche {m} du poste {n}" for m in range(5))
    for template in ("classic", "modern"):
        pdf = cvlib.render_pdf(parsed(data)[0], template)
        assert len(pdf_reader(pdf).pages) >= 2
        assert "Tâche 4 du poste 11" in pdf_text(pdf)


def test_the_pdf_fetches_nothing(monkeypatch):
    """Even an image someone managed to put in the HTML would not be fetched."""
    fetched = []
    from weasyprint.urls import URLFetcher

    monkeypatch.setattr(URLFetcher, "open", lambda self, *args, **kwargs: fetched.append(args) or None)
    monkeypatch.setattr(
        cvlib,
        "render_html",
        lambda cv, template: '<html><body><img src="http://127.0.0.1:9/x.png">x</body></html>',
    )
    cvlib.render_pdf(the_cv(), "classic")
    assert fetched == []


def test_file_names_are_ascii():
    assert (
        cvlib.file_stem(the_cv(first_name="Zoé", last_name="N'Diaye Éléonore"), 3)
        == "cv-zoe-ndiaye-eleonore-v3"
    )
    assert cvlib.file_stem({}) == "cv"


# ---------------------------------------------------------------------------
# The builder's routes
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_step_shows_the_builder_its_preview_and_its_exports(client, seeker, cv_step, cv_id):
    client.force_login(seeker)
    save(client, cv_step, cv_id, CV_POST)
    page = soup(client.get(cv_step.url).content.decode())
    exercise = page.find(id=f"exercise-{cv_id}")
    form = exercise.find("form", attrs={"data-cv-form": True})
    assert form["action"] == build.save_url(cv_step, cv_id) and form.has_attr("data-autosave")
    assert form.find("input", attrs={"name": "first_name"})["value"] == "Karim"
    assert form.find("input", attrs={"name": "first_name"})["autocomplete"] == "given-name"
    # (A browser drops the line break that follows <textarea>.)
    skills = form.find("textarea", attrs={"name": "skills"}).get_text().removeprefix("\n")
    assert skills == "Gestion des stocks\nChariot élévateur"
    assert (
        form.find("select", attrs={"name": "languages-0-level"}).find("option", selected=True)["value"]
        == "b2"
    )
    for field in form.find_all(["input", "select", "textarea"]):
        if field.get("type") not in ("hidden",):
            assert form.find("label", attrs={"for": field["id"]}), field["name"]
    preview = exercise.find(attrs={"data-cv-preview": True})
    assert preview["data-url"] == url(cv_step, cv_id, "apercu")
    assert "Karim Benali" in preview.get_text(" ", strip=True)
    export_form = exercise.find("form", attrs={"data-cv-export": True})
    assert export_form["action"] == url(cv_step, cv_id, "pdf")
    assert [button["value"] for button in export_form.find_all("button")] == ["classic", "modern"]
    assert export_form.find("a")["href"] == url(cv_step, cv_id, "texte")
    # Strict CSP: nothing inline.
    assert not exercise.find_all(style=True)
    for script in page.find_all("script"):
        assert script.get("src", "").startswith("/static/") and not script.get_text(strip=True)
    assert page.find("script", src=re.compile(r"/static/js/cv\.js$"))["type"] == "module"
    assert page.find("link", href=re.compile(r"/static/css/cv\.css$"))


@pytest.mark.django_db
def test_without_javascript_add_then_remove_an_experience(client, seeker, cv_step, cv_id):
    client.force_login(seeker)
    save(client, cv_step, cv_id, {**CV_POST, "add": "experiences"})
    form = soup(client.get(cv_step.url).content.decode()).find("form", attrs={"data-cv-form": True})
    titles = form.find_all("input", attrs={"name": re.compile(r"^experiences-\d+-title$")})
    assert [field["name"] for field in titles] == ["experiences-0-title", "experiences-1-title"]
    assert titles[1]["value"] == ""
    save(client, cv_step, cv_id, {**CV_POST, "remove": "experiences-0"})
    assert Answer.objects.get(exercise_id=cv_id).data["experiences"] == []
    form = soup(client.get(cv_step.url).content.decode()).find("form", attrs={"data-cv-form": True})
    # An empty group still offers one empty entry to fill in.
    assert form.find("input", attrs={"name": "experiences-0-title"})["value"] == ""


@pytest.mark.django_db
def test_errors_are_shown_beside_their_field(client, seeker, cv_step, cv_id):
    client.force_login(seeker)
    response = save(client, cv_step, cv_id, {**CV_POST, "email": "non", "experiences-0-title": ""})
    assert response.status_code == 200
    form = soup(response.content.decode()).find("form", attrs={"data-cv-form": True})
    email = form.find("input", attrs={"name": "email"})
    assert email["aria-invalid"] == "true"
    error = form.find(id=f"{email['id']}-error")
    assert error.get_text(strip=True) == fr("E-mail: enter an address like name@example.com.")
    assert error["id"] in email["aria-describedby"].split()
    title = form.find("input", attrs={"name": "experiences-0-title"})
    assert title["aria-invalid"] == "true"


@pytest.mark.django_db
def test_the_preview_is_a_fragment_of_the_saved_cv(client, seeker, cv_step, cv_id):
    client.force_login(seeker)
    response = client.get(url(cv_step, cv_id, "apercu"))
    assert response.status_code == 200
    assert fr("Your CV appears here as you fill in the form.") in response.content.decode()
    save(client, cv_step, cv_id, CV_POST)
    response = client.get(url(cv_step, cv_id, "apercu"))
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    fragment = soup(html)
    assert fragment.find(class_="cv-paper__name").get_text(" ", strip=True) == "Karim Benali"
    assert "Magasinier cariste" in fragment.get_text()
    assert client.post(url(cv_step, cv_id, "apercu")).status_code == 405


@pytest.mark.django_db
def test_exporting_keeps_each_pdf_as_a_new_version(client, seeker, atelier, cv_step, cv_id):
    client.force_login(seeker)
    save(client, cv_step, cv_id, CV_POST)

    response = export(client, cv_step, cv_id, "classic")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cv-karim-benali-v1.pdf"'
    assert "no-store" in response["Cache-Control"]
    first = content_of(response)
    assert "Magasinier cariste" in pdf_text(first)

    save(client, cv_step, cv_id, {**CV_POST, "headline": "Chef d'équipe logistique"})
    response = export(client, cv_step, cv_id, "modern")
    assert response["Content-Disposition"] == 'attachment; filename="cv-karim-benali-v2.pdf"'
    second = content_of(response)

    versions = list(CVExport.objects.filter(seeker=seeker).order_by("version"))
    assert [(v.version, v.template) for v in versions] == [(1, "classic"), (2, "modern")]
    answer = Answer.objects.get(exercise_id=cv_id)
    assert all(v.answer_id == answer.pk for v in versions)
    assert versions[0].data["headline"] == "Magasinier cariste"
    assert versions[1].data["headline"] == "Chef d'équipe logistique"
    assert "Magasinier cariste" in versions[0].text and "Chef d'équipe logistique" in versions[1].text
    assert versions[0].pdf.name.startswith("ateliers/") and versions[0].pdf.name.endswith(".pdf")
    # Both PDFs are kept, as sent.
    assert versions[0].pdf.read() == first and versions[1].pdf.read() == second
    entries = ActivityEntry.objects.filter(seeker=seeker, verb="atelier.cv_exported").order_by("created_at")
    assert [entry.data for entry in entries] == [{"version": 1}, {"version": 2}]
    assert entries[0].target_id == str(atelier.pk)

    # The versions are listed on the step, with their files.
    page = soup(client.get(cv_step.url).content.decode())
    table = page.find(attrs={"data-cv-versions": True}).find("table")
    rows = table.find("tbody").find_all("tr")
    assert [row.find("th").get_text(strip=True) for row in rows] == ["2", "1"]
    links = [a["href"] for a in rows[1].find_all("a")]
    assert links == [versions[0].pdf.url, url(cv_step, cv_id, "texte") + "?version=1"]


@pytest.mark.django_db
def test_versions_are_read_by_their_seeker_and_their_counsellor_only(
    client, seeker, counsellor, other_seeker, cv_step, cv_id
):
    client.force_login(seeker)
    save(client, cv_step, cv_id, CV_POST)
    export(client, cv_step, cv_id, "classic")
    export(client, cv_step, cv_id, "modern")
    versions = list(CVExport.objects.filter(seeker=seeker).order_by("version"))
    assert [v.pdf.url for v in versions] == [f"/fichiers/{v.pdf.name}" for v in versions]

    for version in versions:
        response = client.get(version.pdf.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "Karim Benali" in pdf_text(content_of(response))

    stranger = CounsellorFactory()
    for reader, expected in ((counsellor, 200), (other_seeker, 404), (stranger, 404)):
        client.force_login(reader)
        for version in versions:
            assert client.get(version.pdf.url).status_code == expected, reader
    client.logout()
    assert client.get(versions[0].pdf.url).status_code == 403


@pytest.mark.django_db
def test_the_text_version_of_the_cv_and_of_each_version(client, seeker, other_seeker, cv_step, cv_id):
    client.force_login(seeker)
    save(client, cv_step, cv_id, CV_POST)
    response = client.get(url(cv_step, cv_id, "texte"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cv-karim-benali.txt"'
    assert response.content.decode("utf-8") == cvlib.render_text(cvlib.parse_form(query(CV_POST))[0])

    export(client, cv_step, cv_id)
    save(client, cv_step, cv_id, {**CV_POST, "headline": "Chef d'équipe"})
    response = client.get(url(cv_step, cv_id, "texte") + "?version=1")
    assert response["Content-Disposition"] == 'attachment; filename="cv-karim-benali-v1.txt"'
    text = response.content.decode()
    assert "Magasinier cariste" in text and "Chef d'équipe" not in text
    assert "Chef d'équipe" in client.get(url(cv_step, cv_id, "texte")).content.decode()
    for wrong in ("2", "0", "abc", "-1", "١"):
        assert client.get(url(cv_step, cv_id, "texte") + f"?version={wrong}").status_code == 404

    # Another seeker's version 1 is theirs, never this one.
    client.force_login(other_seeker)
    assert client.get(url(cv_step, cv_id, "texte") + "?version=1").status_code == 404
    assert client.get(first_pdf_url(seeker)).status_code == 404


@pytest.mark.django_db
def test_an_empty_cv_is_not_exported_and_says_why(client, seeker, cv_step, cv_id):
    client.force_login(seeker)
    empty = fr("Your CV is empty: fill in the CV builder before exporting it.")
    for ask in (lambda: export(client, cv_step, cv_id), lambda: client.get(url(cv_step, cv_id, "texte"))):
        response = ask()
        assert response.status_code == 302
        assert response.url == f"{cv_step.url}#exercise-{cv_id}"
        assert [str(m) for m in get_messages(response.wsgi_request)] == [empty]
        assert html.unescape(client.get(response.url).content.decode()).count(empty) == 1
    save(client, cv_step, cv_id, {"headline": "Cariste"})
    response = export(client, cv_step, cv_id, "modern")
    assert response.status_code == 302
    page = client.get(response.url)
    assert (
        fr("Your CV has no name: give your first and last name before exporting it.") in page.content.decode()
    )
    assert not CVExport.objects.exists()


@pytest.mark.django_db
def test_wrong_requests_are_refused(client, seeker, cv_step, cv_id, steps):
    client.force_login(seeker)
    save(client, cv_step, cv_id, CV_POST)
    assert client.post(url(cv_step, cv_id, "pdf"), {"template": "fancy"}).status_code == 400
    assert client.post(url(cv_step, cv_id, "pdf")).status_code == 400
    assert client.get(url(cv_step, cv_id, "pdf")).status_code == 405
    assert client.post(url(cv_step, cv_id, "texte")).status_code == 405
    # Not a CV exercise, not in this step, unknown.
    text_id = build.exercise_id(steps[0], "free_text")
    assert client.get(url(steps[0], text_id, "apercu")).status_code == 404
    assert client.get(url(steps[0], cv_id, "apercu")).status_code == 404
    assert client.get(url(cv_step, "00000000-0000-0000-0000-000000000000", "apercu")).status_code == 404
    assert not CVExport.objects.exists()


@pytest.mark.django_db
def test_only_seekers_use_the_builder(client, counsellor, editor, cv_step, cv_id):
    for action in ("apercu", "texte"):
        response = client.get(url(cv_step, cv_id, action))
        assert response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert client.post(url(cv_step, cv_id, "pdf"), {"template": "classic"}).status_code == 302
    for staff in (counsellor, editor):
        client.force_login(staff)
        assert client.get(url(cv_step, cv_id, "apercu")).status_code == 403
        assert client.get(url(cv_step, cv_id, "texte")).status_code == 403
        assert client.post(url(cv_step, cv_id, "pdf"), {"template": "classic"}).status_code == 403
    assert not CVExport.objects.exists()


@pytest.mark.django_db
def test_each_seeker_reads_their_own_cv_only(client, seeker, other_seeker, atelier, cv_step, cv_id):
    store(seeker, atelier, cv_step, cv_id, the_cv())
    client.force_login(other_seeker)
    assert "Karim" not in client.get(url(cv_step, cv_id, "apercu")).content.decode()
    assert export(client, cv_step, cv_id).status_code == 302  # their own CV is empty
    assert not CVExport.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_exports_at_once_get_two_versions(seeker, atelier, cv_step, cv_id):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    answer = store(seeker, atelier, cv_step, cv_id, the_cv())
    barrier = threading.Barrier(2)
    made, failures = [], []

    def run():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            made.append(save_version(seeker, answer, "classic", b"%PDF-1.7 test", "text", the_cv()).version)
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(made) == [1, 2]


@pytest.mark.django_db
def test_a_number_taken_meanwhile_is_tried_again(seeker, atelier, cv_step, cv_id, monkeypatch):
    """Without row locks (SQLite), another export may take the number: the next is used."""
    answer = store(seeker, atelier, cv_step, cv_id, the_cv())
    CVExport.objects.create(seeker=seeker, version=1, template="classic", pdf="ateliers/x.pdf", text="")
    reads = []

    def stale_max(field):
        # The first read misses version 1, as if it had been made meanwhile.
        reads.append(field)
        return Min(field) - 1 if len(reads) == 1 else Max(field)

    monkeypatch.setattr(cv_views, "Max", stale_max)
    made = save_version(seeker, answer, "modern", b"%PDF-1.7 test", "text", the_cv())
    assert len(reads) == 2 and made.version == 2
    assert made.pdf.storage.exists(made.pdf.name)


# ---------------------------------------------------------------------------
# XSS: payloads in every field of the CV, wherever it shows
# ---------------------------------------------------------------------------
def payload_posts():
    """Posted CVs with a payload in every field, different payloads in different fields,
    until each payload has been in a CV."""
    slots = [*cvlib.IDENTITY_FIELDS, "headline", "summary", *cvlib.LISTS]
    for group, spec in cvlib.GROUPS.items():
        for index in range(3):
            slots += [f"{group}-{index}-{field}" for field in spec["fields"]]
    found = payloads()
    posts = []
    for start in range(0, len(found), len(slots)):
        chunk = found[start : start + len(slots)]
        posts.append({slot: chunk[n % len(chunk)] for n, slot in enumerate(slots)})
    return posts


def without_our_own_markup(root):
    """The parts of the builder that are ours, checked, then removed: the module script,
    the stylesheet, the empty entries JavaScript copies and the builder's buttons."""
    for script in root.find_all("script"):
        assert script.get("src", "").startswith("/static/") and not script.get_text(strip=True)
        script.decompose()
    for link in root.find_all("link"):
        assert link["rel"] == ["stylesheet"] and link["href"].startswith("/static/")
        link.decompose()
    for template in root.find_all("template"):
        assert template.has_attr("data-cv-template")
        assert not template.find_all(attrs={"value": re.compile(".")}, name="input")
        template.decompose()
    for form in root.find_all("form"):
        assert form["action"].startswith("/") and not form["action"].startswith("//")
        form.unwrap()
    for button in root.find_all("button"):
        assert button.get("name") in (None, "add", "remove", "move", "template"), button
        button.decompose()
    return root


@pytest.mark.django_db
def test_xss_payloads_in_every_cv_field_render_inert(client, seeker, atelier, cv_step, cv_id):
    client.force_login(seeker)
    posts = payload_posts()
    assert posts
    for post in posts:
        save(client, cv_step, cv_id, post)
        stored = Answer.objects.get(exercise_id=cv_id).data
        assert stored["identity"]["first_name"]  # stored as typed (plain text)

        # The step page: the builder, its preview, its versions.
        page = soup(client.get(cv_step.url).content.decode())
        exercise = without_our_own_markup(page.find(id=f"exercise-{cv_id}"))
        assert executable_parts(exercise) == []
        # The preview fragment.
        fragment = without_our_own_markup(soup(client.get(url(cv_step, cv_id, "apercu")).content.decode()))
        assert executable_parts(fragment) == []
        assert (
            fragment.find(class_="cv-paper__name")
            .get_text(" ", strip=True)
            .startswith(stored["identity"]["first_name"][:10])
        )
        # The HTML the PDFs are made from: our metadata and style, nothing else.
        for template in cvlib.TEMPLATES:
            document = soup(cvlib.render_html(stored, template))
            metas = [m.attrs.get("name") or "charset" for m in document.find_all("meta")]
            assert metas[:2] == ["charset", "author"] and set(metas) <= {
                "charset",
                "author",
                "description",
                "keywords",
            }
            assert len(document.find_all("style")) == 1 and document.find("style").parent.name == "head"
            for element in document.find_all(["meta", "style"]):
                element.decompose()
            assert executable_parts(document) == []
            assert {a["href"][:7] for a in document.find_all("a")} <= {"mailto:"}
            assert document.find("h1").get_text() == cvlib.prepare(stored)["name"]
        # The text export is the text itself, as typed.
        assert stored["headline"] in cvlib.render_text(stored)


@pytest.mark.parametrize("locked", [False, True])
def test_each_payload_in_every_field_renders_inert(locked):
    """Every payload in every field at once, rendered by each template that shows a CV."""
    slots = [*cvlib.IDENTITY_FIELDS, "headline", "summary", *cvlib.LISTS]
    for group, spec in cvlib.GROUPS.items():
        slots += [f"{group}-0-{field}" for field in spec["fields"]]
    urls = {action: f"/step/cv/x/{action}/" for action in ("apercu", "pdf", "texte")}
    for payload in payloads():
        cv, errors = parsed(dict.fromkeys(slots, payload))
        item = {
            "id": "x", "kind": "cv", "value": {"title": "CV"}, "answer": None, "action": "/step/exercices/x/",
            "cv": cv, "errors": errors, "locked": locked, "cv_urls": urls,
        }  # fmt: skip
        builder = without_our_own_markup(soup(render_to_string("ateliers/blocks/cv.html", {"item": item})))
        assert executable_parts(builder) == [], payload
        for shown in (cv, cvlib.prepare(cv)):
            preview = without_our_own_markup(
                soup(render_to_string("ateliers/cv/preview.html", {"cv": shown}))
            )
            assert executable_parts(preview) == [], payload
        for template in cvlib.TEMPLATES:
            document = soup(cvlib.render_html(cv, template))
            for element in document.find_all(["meta", "style"]):
                assert element.parent.name == "head"
                element.decompose()
            assert executable_parts(document) == [], payload


@pytest.mark.django_db
def test_a_cv_full_of_payloads_exports_a_pdf_with_the_payloads_as_text(
    client, seeker, atelier, cv_step, cv_id
):
    client.force_login(seeker)
    post = {
        **CV_POST,
        "first_name": "<script>alert(1)</script>",
        "headline": '"><img src=x onerror=alert(1)>',
        "summary": "<iframe src=javascript:alert(1)></iframe>",
    }
    save(client, cv_step, cv_id, post)
    response = export(client, cv_step, cv_id)
    text = pdf_text(content_of(response))
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text


# ---------------------------------------------------------------------------
# The journey: fill in the builder, export the PDF
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_seeker_fills_the_builder_and_exports_the_pdf(client, seeker, cv_step, cv_id):
    client.force_login(seeker)
    page = soup(client.get(cv_step.url).content.decode())
    form = page.find("form", attrs={"data-cv-form": True})
    data = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    data.update(
        {
            "first_name": "Aïcha",
            "last_name": "Diallo",
            "headline": "Aide-soignante",
            "experiences-0-title": "Agente de service hospitalier",
            "experiences-0-employer": "Clinique du Parc",
        }
    )
    response = client.post(
        form["action"], data, headers={"X-Requested-With": "fetch", "Accept": "application/json"}
    )
    assert response.status_code == 200 and "errors" not in response.json()

    export_form = soup(client.get(cv_step.url).content.decode()).find("form", attrs={"data-cv-export": True})
    token = export_form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    response = client.post(export_form["action"], {"csrfmiddlewaretoken": token, "template": "modern"})
    assert response.status_code == 200
    text = pdf_text(content_of(response))
    assert "Aïcha Diallo" in text and "Aide-soignante" in text and "Agente de service hospitalier" in text
