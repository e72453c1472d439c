"""E-atelier page trees for tests and benchmarks: the index, an atelier and its steps.

    page = atelier(home_page)                   # index (made once) → atelier → 3 steps
    first, second, third = steps_of(page)
    exercise_id(first, "free_text")             # the block id answers are stored against
    step, block_id = locate(page, "file")       # where an exercise kind is, in any step

The three steps hold one exercise of each kind (BODIES):

1. heading, paragraph, free_text, checklist
2. self_check (one right answer out of three), file (PDF, DOCX, ODT, JPEG, PNG)
3. callout, cv

Block ids are fixed uuids per page, so tests can name them; `add_step` builds a step
with any other body.
"""

import uuid

from ateliers.models import AtelierIndexPage, AtelierKind, AtelierPage, AtelierStepPage

CHECKLIST_ITEMS = ["Mes dates d'emploi", "Mes diplômes", "Une offre qui m'intéresse"]
# SELF_CHECK's right answer is choice 0.
SELF_CHECK = {
    "title": "Vérifiez vos connaissances",
    "instructions": "",
    "question": "Que met-on sous son nom, en haut du CV ?",
    "multiple": False,
    "choices": [
        {
            "text": "Le poste visé",
            "correct": True,
            "feedback": "Oui : le recruteur sait ce que vous cherchez.",
        },
        {"text": "Sa date de naissance", "correct": False, "feedback": "Non : elle n'aide pas."},
        {"text": "Ses loisirs", "correct": False, "feedback": "Non : ils viennent à la fin."},
    ],
}
ALL_FILE_KINDS = ["pdf", "docx", "odt", "jpeg", "png"]


def block(kind, value):
    return {"type": kind, "id": str(uuid.uuid4()), "value": value}


def free_text(title="Le poste que je vise", placeholder="Par exemple : magasinier."):
    return block(
        "free_text",
        {"title": title, "instructions": "<p>Une ou deux phrases.</p>", "placeholder": placeholder},
    )


def checklist(items=CHECKLIST_ITEMS):
    return block("checklist", {"title": "Avant de commencer", "instructions": "", "items": list(items)})


def self_check(**changes):
    return block("self_check", {**SELF_CHECK, **changes})


def file(accepted=ALL_FILE_KINDS):
    return block(
        "file",
        {"title": "Votre CV actuel", "instructions": "<p>Envoyez votre CV.</p>", "accepted": list(accepted)},
    )


def cv():
    return block("cv", {"title": "Mon CV", "instructions": ""})


def bodies():
    """Fresh bodies of the three steps (new block ids each time)."""
    return [
        [
            {"type": "heading", "value": {"text": "Faire le point", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Avant d'écrire, choisissez le poste visé.</p>"},
            free_text(),
            checklist(),
        ],
        [self_check(), file()],
        [
            {
                "type": "callout",
                "value": {"kind": "tip", "title": "Astuce", "text": "<p>Une page suffit.</p>"},
            },
            cv(),
        ],
    ]


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def index(home_page):
    """The e-ateliers index (one per site), made on first use."""
    existing = AtelierIndexPage.objects.child_of(home_page).first()
    return existing or publish(home_page, AtelierIndexPage(title="E-ateliers", slug="ateliers"))


def add_step(atelier_page, title, body, **fields):
    """A published step of `atelier_page` with this body (a list of stream blocks)."""
    return publish(atelier_page, AtelierStepPage(title=title, body=body, **fields))


def atelier(home_page, kind=AtelierKind.CV, title="Atelier CV", *, steps=3, **fields):
    """A published atelier under the index with the first `steps` steps of `bodies()`."""
    page = publish(
        index(home_page),
        AtelierPage(
            title=title,
            kind=kind,
            summary=fields.pop("summary", f"Résumé de « {title} »."),
            objectives=fields.pop("objectives", "<ul><li>Écrire un CV clair</li></ul>"),
            audience=fields.pop("audience", "Toute personne qui cherche un emploi."),
            duration_minutes=fields.pop("duration_minutes", 120),
            **fields,
        ),
    )
    for number, body in enumerate(bodies()[:steps], start=1):
        add_step(page, f"Étape {number}", body, slug=f"etape-{number}")
    return page


def steps_of(atelier_page):
    return list(AtelierStepPage.objects.live().child_of(atelier_page).order_by("path"))


def exercise_id(step, kind):
    """The block id of the first exercise of `kind` in `step`."""
    return next(item.id for item in step.body if item.block_type == kind)


def locate(atelier_page, kind):
    """(step, block id) of the first exercise of `kind` in the atelier."""
    for step in steps_of(atelier_page):
        for item in step.body:
            if item.block_type == kind:
                return step, item.id
    raise LookupError(kind)


def save_url(step, block_id):
    """Where the exercise's answer is posted."""
    return step.url + step.reverse_subpage("save_answer", kwargs={"exercise_id": block_id})
