"""Demo content of the e-ateliers: "Atelier CV" and "Atelier réseaux sociaux", and the
demo seeker's CV, sent for review and answered by the demo counsellor.

The submission and its review are written directly (not through
`ateliers.submissions`): the seed runs before the queues' Redis is up under
`make run`, and the demo needs no e-mail.
"""

import datetime

from django.utils import timezone

from accounts.demo import COUNSELLOR_EMAIL, SEEKER_EMAIL
from accounts.models import User
from core.models import HomePage

from .models import (
    Answer,
    AtelierIndexPage,
    AtelierKind,
    AtelierPage,
    AtelierStepPage,
    Submission,
    SubmissionStatus,
)


def p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def paragraph(*texts):
    return {"type": "paragraph", "value": p(*texts)}


def tip(title, text):
    return {"type": "callout", "value": {"kind": "tip", "title": title, "text": p(text)}}


def free_text(title, instructions, placeholder=""):
    return {
        "type": "free_text",
        "value": {"title": title, "instructions": p(instructions), "placeholder": placeholder},
    }


def checklist(title, instructions, items):
    return {"type": "checklist", "value": {"title": title, "instructions": p(instructions), "items": items}}


def self_check(title, question, choices, multiple=False):
    return {
        "type": "self_check",
        "value": {
            "title": title,
            "instructions": "",
            "question": question,
            "multiple": multiple,
            "choices": [
                {"text": text, "correct": correct, "feedback": feedback}
                for text, correct, feedback in choices
            ],
        },
    }


ATELIERS = [
    {
        "slug": "atelier-cv",
        "title": "Atelier CV",
        "kind": AtelierKind.CV,
        "duration": 120,
        "summary": "Écrivez un CV clair d'une page, que votre conseillère relit avec vous. "
        "Vous repartez avec un PDF prêt à envoyer et une version texte pour les sites d'emploi.",
        "objectives": "<ul><li>Choisir ce qui compte dans votre parcours</li><li>Construire un CV lisible</li>"
        "<li>Le faire relire et l'améliorer</li></ul>",
        "audience": "Toute personne qui doit écrire ou refaire son CV.",
        "steps": [
            (
                "Faire le point avant d'écrire",
                20,
                [
                    paragraph(
                        "Un recruteur lit un CV en moins d'une minute. Avant d'écrire, choisissez "
                        "le poste visé et ce qui prouve que vous pouvez le tenir."
                    ),
                    free_text(
                        "Le poste que je vise",
                        "Écrivez en une ou deux phrases le métier ou le poste que vous cherchez, et pourquoi.",
                        "Par exemple : magasinier en entrepôt, car j'aime le travail physique et organisé.",
                    ),
                    checklist(
                        "Ce que je rassemble avant de commencer",
                        "Cochez ce que vous avez sous la main.",
                        [
                            "Mes dates d'emploi",
                            "Mes diplômes et formations",
                            "Mon permis et mes certificats",
                            "Une offre d'emploi qui m'intéresse",
                        ],
                    ),
                ],
            ),
            (
                "Les rubriques d'un bon CV",
                20,
                [
                    heading("L'ordre des rubriques"),
                    paragraph(
                        "Identité et contact, titre, profil en trois lignes, expériences (la plus récente "
                        "d'abord), formations, compétences, langues, centres d'intérêt."
                    ),
                    self_check(
                        "Vérifiez vos connaissances",
                        "Que met-on tout en haut du CV, sous votre nom ?",
                        [
                            (
                                "Le titre du poste visé",
                                True,
                                "Oui : le recruteur sait tout de suite ce que vous cherchez.",
                            ),
                            (
                                "Votre date de naissance",
                                False,
                                "Non : elle n'est pas obligatoire et n'aide pas.",
                            ),
                            (
                                "La liste de vos loisirs",
                                False,
                                "Non : elle vient à la fin, si elle apporte quelque chose.",
                            ),
                        ],
                    ),
                    tip(
                        "Une page suffit",
                        "Pour la plupart des postes, une page bien remplie vaut mieux que deux pages vides.",
                    ),
                ],
            ),
            (
                "Construire mon CV",
                45,
                [
                    paragraph(
                        "Remplissez les rubriques : l'aperçu se met à jour à côté. Tout est enregistré "
                        "au fur et à mesure, vous pouvez vous arrêter et revenir."
                    ),
                    {
                        "type": "cv",
                        "value": {
                            "title": "Mon CV",
                            "instructions": p(
                                "Soyez précis : des verbes d'action, des chiffres quand c'est possible."
                            ),
                        },
                    },
                ],
            ),
            (
                "Relire et envoyer",
                15,
                [
                    checklist(
                        "Ma relecture",
                        "Relisez votre CV avec cette liste.",
                        [
                            "Pas de faute d'orthographe",
                            "Mon téléphone et mon courriel sont justes",
                            "Les dates se suivent",
                            "Le titre correspond au poste visé",
                        ],
                    ),
                    {
                        "type": "file",
                        "value": {
                            "title": "Un autre document (facultatif)",
                            "instructions": p(
                                "Vous pouvez joindre une lettre de motivation ou un ancien CV (PDF, Word, OpenDocument)."
                            ),
                            "accepted": ["pdf", "docx", "odt"],
                        },
                    },
                ],
            ),
        ],
    },
    {
        "slug": "atelier-reseaux-sociaux",
        "title": "Atelier réseaux sociaux",
        "kind": AtelierKind.SOCIAL,
        "duration": 120,
        "summary": "Créez un profil professionnel qui donne envie de vous contacter, protégez votre "
        "vie privée et écrivez votre premier message pour développer votre réseau.",
        "objectives": "<ul><li>Un titre et un résumé de profil efficaces</li><li>Des réglages de "
        "confidentialité maîtrisés</li><li>Un message de mise en relation</li></ul>",
        "audience": "Toute personne qui veut utiliser les réseaux sociaux pour sa recherche d'emploi.",
        "steps": [
            (
                "Pourquoi les réseaux sociaux ?",
                15,
                [
                    paragraph(
                        "De nombreuses offres circulent sur les réseaux avant d'être publiées ailleurs, "
                        "et les recruteurs y cherchent des profils."
                    ),
                    self_check(
                        "Vérifiez vos connaissances",
                        "Qu'est-ce qu'un recruteur regarde d'abord sur un profil ?",
                        [
                            (
                                "La photo et le titre",
                                True,
                                "Oui : c'est ce qui s'affiche dans les résultats de recherche.",
                            ),
                            (
                                "Le nombre de relations",
                                False,
                                "Pas d'abord : un petit réseau de qualité suffit.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Mon titre de profil",
                15,
                [
                    paragraph("Le titre dit en quelques mots qui vous êtes et ce que vous cherchez."),
                    free_text(
                        "Mon titre",
                        "Écrivez votre titre de profil (moins de 120 caractères).",
                        "Cariste expérimenté, CACES 1-3-5, disponible à Lyon",
                    ),
                ],
            ),
            (
                "Mon résumé",
                20,
                [
                    paragraph(
                        "En quatre ou cinq phrases : votre expérience, vos points forts, ce que vous cherchez."
                    ),
                    free_text("Mon résumé", "Écrivez le résumé de votre profil."),
                ],
            ),
            (
                "Les rubriques du profil",
                20,
                [
                    checklist(
                        "Mon profil est complet",
                        "Cochez les rubriques remplies.",
                        [
                            "Photo professionnelle",
                            "Titre",
                            "Résumé",
                            "Expériences",
                            "Formations",
                            "Compétences",
                        ],
                    ),
                ],
            ),
            (
                "Ma vie privée",
                15,
                [
                    tip(
                        "Vous choisissez ce qui est public",
                        "Votre adresse et votre téléphone n'ont pas à être visibles de tous.",
                    ),
                    checklist(
                        "Mes réglages de confidentialité",
                        "Vérifiez ces réglages dans votre compte.",
                        [
                            "Mon adresse n'est pas publique",
                            "Mon téléphone n'est pas public",
                            "Mes photos personnelles sont privées",
                            "Je sais qui voit mes publications",
                        ],
                    ),
                ],
            ),
            (
                "Mon message de mise en relation",
                20,
                [
                    paragraph(
                        "Un message court et personnel : pourquoi cette personne, ce que vous aimeriez lui demander."
                    ),
                    free_text(
                        "Mon message",
                        "Écrivez un message pour demander un échange à un professionnel du métier qui vous intéresse.",
                    ),
                ],
            ),
        ],
    },
]

DEMO_CV = {
    "identity": {
        "first_name": "Karim",
        "last_name": "Benali",
        "email": SEEKER_EMAIL,
        "phone": "06 12 34 56 78",
        "city": "Lyon",
    },
    "headline": "Magasinier – cariste CACES 1, 3 et 5",
    "summary": "Six ans d'expérience en entrepôt : réception, préparation de commandes et inventaires. "
    "Rigoureux, ponctuel, à l'aise en équipe.",
    "experiences": [
        {
            "title": "Préparateur de commandes",
            "employer": "Logistique Rhône",
            "place": "Saint-Priest",
            "start": "2019",
            "end": "2025",
            "description": "Préparation de 300 colis par jour, gestion des retours, formation de deux intérimaires.",
        },
        {
            "title": "Manutentionnaire",
            "employer": "Grand Marché",
            "place": "Vénissieux",
            "start": "2017",
            "end": "2019",
            "description": "Réception des livraisons, mise en rayon, inventaires mensuels.",
        },
    ],
    "education": [
        {"title": "CACES R489 catégories 1, 3 et 5", "school": "AFPA Lyon", "year": "2019", "description": ""}
    ],
    "skills": ["Conduite de chariots", "Gestion des stocks", "Logiciel de gestion d'entrepôt"],
    "languages": [{"name": "Français", "level": "native"}, {"name": "Arabe", "level": "c1"}],
    "interests": ["Football en club", "Bénévolat aux Restos du cœur"],
}


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed(out):
    home = HomePage.objects.first()
    index = AtelierIndexPage.objects.first()
    if index is None:
        index = _publish(
            home,
            AtelierIndexPage(
                title="E-ateliers",
                slug="ateliers",
                show_in_menus=True,
                intro="Des ateliers guidés, à faire chez vous à votre rythme, relus par votre conseillère.",
            ),
        )
        out("Index des e-ateliers créé.")
    for spec in ATELIERS:
        if AtelierPage.objects.filter(slug=spec["slug"]).exists():
            continue
        atelier = _publish(
            index,
            AtelierPage(
                title=spec["title"],
                slug=spec["slug"],
                kind=spec["kind"],
                summary=spec["summary"],
                objectives=spec["objectives"],
                audience=spec["audience"],
                duration_minutes=spec["duration"],
            ),
        )
        for number, (title, minutes, body) in enumerate(spec["steps"], start=1):
            _publish(
                atelier,
                AtelierStepPage(title=title, slug=f"etape-{number}", estimated_minutes=minutes, body=body),
            )
        out(f"E-atelier « {spec['title']} » créé ({len(spec['steps'])} étapes).")
    _seed_reviewed_cv(out)


def _seed_reviewed_cv(out):
    seeker = User.objects.filter(email=SEEKER_EMAIL).first()
    counsellor = User.objects.filter(email=COUNSELLOR_EMAIL).first()
    atelier = AtelierPage.objects.filter(slug="atelier-cv").first()
    if (
        not (seeker and counsellor and atelier)
        or Submission.objects.filter(seeker=seeker, atelier=atelier).exists()
    ):
        return
    from .submissions import snapshot

    now = timezone.now()
    steps = list(atelier.steps())
    first_step, cv_step = steps[0], steps[2]
    target_id = next(iter(first_step.exercises()))
    cv_id = next(iter(cv_step.exercises()))
    written = now - datetime.timedelta(days=4)
    Answer.objects.create(
        seeker=seeker,
        atelier=atelier,
        step=first_step,
        exercise_id=target_id,
        kind="free_text",
        text=p("Magasinier ou cariste en entrepôt, près de Lyon : j'aime le travail organisé et en équipe."),
        created_at=written,
        updated_at=written,
    )
    Answer.objects.create(
        seeker=seeker,
        atelier=atelier,
        step=cv_step,
        exercise_id=cv_id,
        kind="cv",
        data=DEMO_CV,
        created_at=written,
        updated_at=written,
    )
    sent = now - datetime.timedelta(days=3)
    Submission.objects.create(
        seeker=seeker,
        atelier=atelier,
        number=1,
        submitted_at=sent,
        snapshot=snapshot(seeker, atelier),
        status=SubmissionStatus.TO_REVISE,
        reviewer=counsellor,
        reviewed_at=now - datetime.timedelta(days=1),
        feedback=p(
            "Très bon début, Karim : le CV est clair et tient sur une page.",
            "Ajoutez des chiffres à votre première expérience et précisez vos disponibilités.",
        ),
        exercise_feedback={
            cv_id: p("Le titre est parfait. Dans le profil, citez le CACES dès la première phrase.")
        },
    )
    out("CV de démonstration envoyé et relu par la conseillère.")
