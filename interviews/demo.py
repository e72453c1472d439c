"""Demo content of the mock interviews: the classic questions and a retail interview,
with one assessment grid; the demo seeker's first attempt at the classic questions,
sent with made-up recordings (interviews.demo_recordings) that went through the real
jobs, and the demo counsellor's review with comments at times of the answers."""

import tempfile
from pathlib import Path

from django.core.files import File

from accounts.demo import COUNSELLOR_EMAIL, SEEKER_EMAIL
from accounts.models import User
from core.models import HomePage

from . import demo_recordings, jobs, recordings, reviews, submissions
from .models import (
    Attempt,
    Decision,
    InterviewQuestion,
    JobFamily,
    MockInterviewIndexPage,
    MockInterviewPage,
    QuestionSet,
    Rubric,
    RubricCriterion,
)

CLASSIC = "Entretien d'embauche : les questions classiques"
RETAIL = "Entretien : vendeur ou vendeuse en magasin"

QUESTIONS = {
    CLASSIC: (
        JobFamily.ALL,
        [
            (
                "Présentez-vous en quelques phrases.",
                "Un fil conducteur : votre parcours, ce que vous savez faire, le poste visé.",
                "Préparez trois idées et une phrase qui relie votre parcours au poste.",
            ),
            (
                "Pourquoi avez-vous répondu à cette offre ?",
                "Que vous connaissez l'entreprise et le poste, et que votre choix est réfléchi.",
                "Citez un élément précis de l'offre ou de l'entreprise.",
            ),
            (
                "Quelles sont vos principales qualités ?",
                "Des qualités utiles au poste, prouvées par un exemple.",
                "Une qualité, un exemple vécu, ce qu'il a permis.",
            ),
            (
                "Parlez-moi d'une difficulté rencontrée au travail et de la façon dont vous l'avez surmontée.",
                "Votre façon d'agir : la situation, ce que vous avez fait, le résultat.",
                "Racontez dans l'ordre : la situation, votre action, le résultat.",
            ),
            (
                "Avez-vous des questions à nous poser ?",
                "Votre intérêt pour le poste et pour l'équipe.",
                "Préparez deux questions : l'équipe, les missions des premières semaines.",
            ),
        ],
    ),
    RETAIL: (
        JobFamily.SALES,
        [
            (
                "Comment accueillez-vous un client qui entre dans le magasin ?",
                "Le sens du contact : un regard, un bonjour, une disponibilité sans insistance.",
                "Décrivez ce que vous faites et dites, dans l'ordre.",
            ),
            (
                "Un client mécontent veut être remboursé sans ticket de caisse : que faites-vous ?",
                "Votre calme, votre écoute et le respect des règles du magasin.",
                "Écouter, reformuler, proposer une solution ou passer le relais.",
            ),
            (
                "Quelles sont vos disponibilités, le week-end notamment ?",
                "Une réponse claire et honnête.",
                "Dites ce qui est possible avant ce qui ne l'est pas.",
            ),
        ],
    ),
}

CRITERIA = [
    (
        "Posture",
        "Affaissé ou agité, la posture distrait.",
        "Parfois fermée (bras croisés, regard fuyant).",
        "Droite et ouverte la plupart du temps.",
        "Droite, ouverte et naturelle du début à la fin.",
    ),
    (
        "Regard",
        "Le regard évite la caméra.",
        "Quelques regards vers la caméra.",
        "Regarde la caméra la plupart du temps.",
        "Regarde la caméra comme un interlocuteur.",
    ),
    (
        "Clarté",
        "Difficile à suivre : débit, volume ou mots imprécis.",
        "Compréhensible, avec des hésitations.",
        "Claire et audible.",
        "Claire, audible, au bon rythme.",
    ),
    (
        "Structure de la réponse",
        "Pas de fil conducteur.",
        "Une idée principale, sans exemple.",
        "Une idée, un exemple, une conclusion.",
        "Structurée, illustrée et reliée au poste.",
    ),
    (
        "Motivation",
        "Rien ne montre l'envie d'obtenir le poste.",
        "Une envie générale, peu reliée au poste.",
        "Une motivation reliée au poste.",
        "Une motivation précise et convaincante.",
    ),
]

ADVICE = [
    {"type": "heading", "value": {"text": "La posture", "level": "h2"}},
    {
        "type": "paragraph",
        "value": "<p>Asseyez-vous droit, les épaules détendues, les mains visibles. "
        "Placez la caméra à hauteur des yeux et regardez-la comme vous regarderiez le recruteur.</p>",
    },
    {"type": "heading", "value": {"text": "Le savoir-être", "level": "h2"}},
    {
        "type": "paragraph",
        "value": "<p>Ponctualité, politesse, écoute : l'entretien commence dès le bonjour. "
        "Laissez le recruteur finir sa question avant de répondre.</p>",
    },
    {"type": "heading", "value": {"text": "La communication professionnelle", "level": "h2"}},
    {
        "type": "callout",
        "value": {
            "kind": "tip",
            "title": "Une réponse en trois temps",
            "text": "<p>Une idée, un exemple vécu, ce que vous apporterez au poste.</p>",
        },
    },
]

PAGES = [
    {
        "title": CLASSIC,
        "slug": "questions-classiques",
        "job_family": JobFamily.ALL,
        "introduction": "Cinq questions posées dans presque tous les entretiens : entraînez-vous à y répondre "
        "face à la caméra, puis envoyez vos réponses à votre conseillère.",
        "duration_minutes": 30,
    },
    {
        "title": RETAIL,
        "slug": "vendeur-vendeuse",
        "job_family": JobFamily.SALES,
        "introduction": "Trois situations du commerce : l'accueil, un client mécontent, les horaires.",
        "duration_minutes": 20,
    },
]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _question_set(title):
    found = QuestionSet.objects.filter(title=title).first()
    if found is None:
        job_family, questions = QUESTIONS[title]
        found = QuestionSet(title=title, job_family=job_family)
        for order, (text, looks_for, tips) in enumerate(questions):
            found.questions.add(
                InterviewQuestion(sort_order=order, text=text, looks_for=looks_for, tips=tips)
            )
        found.save()
    return found


def _rubric():
    found = Rubric.objects.filter(title="Grille d'entretien").first()
    if found is None:
        found = Rubric(title="Grille d'entretien")
        for order, (name, *levels) in enumerate(CRITERIA):
            found.criteria.add(
                RubricCriterion(
                    sort_order=order, name=name, **{f"level_{n}": text for n, text in enumerate(levels, 1)}
                )
            )
        found.save()
    return found


def seed(out):
    index = MockInterviewIndexPage.objects.first()
    if index is None:
        index = _publish(
            HomePage.objects.first(),
            MockInterviewIndexPage(
                title="Simulations d'entretien",
                slug="entretiens",
                show_in_menus=True,
                intro="Entraînez-vous à l'entretien d'embauche face à la caméra, à votre rythme ; "
                "votre conseillère relit les réponses que vous lui envoyez.",
            ),
        )
        out("Index des simulations d'entretien créé.")
    rubric = _rubric()
    for spec in PAGES:
        if MockInterviewPage.objects.filter(slug=spec["slug"]).exists():
            continue
        _publish(
            index,
            MockInterviewPage(
                **spec, advice=ADVICE, question_set=_question_set(spec["title"]), rubric=rubric
            ),
        )
        out(f"Simulation d'entretien « {spec['title']} » créée.")
    seed_attempt(out)


# ---------------------------------------------------------------------------
# The demo seeker's attempt and its review
# ---------------------------------------------------------------------------
# One answer per classic question: phrases (spoken) and silences (seconds), 8 to 12 s.
ANSWERS = [
    [
        0.8,
        "Bonjour, je m'appelle Karim Benali.",
        1.2,
        "J'ai travaillé six ans dans la logistique, en entrepôt.",
        2.5,
        "Aujourd'hui, je cherche un poste de chef d'équipe.",
        0.6,
    ],
    [
        2.2,
        "Votre entreprise recrute près de chez moi.",
        1.0,
        "Et le poste correspond à mon expérience.",
        0.6,
    ],
    [
        0.5,
        "Je suis ponctuel et organisé.",
        2.8,
        "Euh, je suis aussi calme quand il y a beaucoup de travail.",
        0.6,
    ],
    [
        0.7,
        "Un jour, un camion est arrivé avec trois heures de retard.",
        1.5,
        "J'ai réorganisé l'équipe pour décharger plus vite.",
        1.0,
        "Toutes les commandes sont parties à l'heure.",
        0.6,
    ],
    [
        0.6,
        "Oui : combien de personnes compte l'équipe ?",
        2.0,
        "Et comment se passent les premières semaines ?",
        0.6,
    ],
]

NOTES = "J'ai eu du mal avec la question sur les qualités : je ne savais pas quel exemple donner."
SELF_ASSESSMENT = [3, 3, 2, 3, 2]  # the seeker's levels, criterion by criterion
SCORES = [3, 2, 3, 2, 2]  # the counsellor's
REVIEW_ADVICE = (
    "Karim, vos réponses sont claires et votre voix est posée : c'est une bonne base.\n"
    "Travaillez surtout la question sur vos qualités : une qualité, un exemple vécu, ce qu'il a "
    "permis. Et regardez la caméra comme vous regarderiez le recruteur. Refaites une simulation "
    "quand vous vous sentez prêt, je la relirai."
)
# (question number, where in the answer, text): "pause" is the answer's first long pause,
# "start" its first word, "end" its last second.
COMMENTS = [
    (1, "start", "Bon début : vous vous présentez tout de suite, d'une voix claire."),
    (3, "pause", "Ici, un long silence avant votre deuxième qualité : préparez-la, avec un exemple."),
    (5, "end", "Deux bonnes questions : elles montrent votre intérêt pour l'équipe."),
]


def _comment_time(take, where):
    measures = submissions.delivery_measures(take.measures)
    if where == "start" and measures is not None:
        return measures.leading_silence
    if where == "pause" and measures is not None and measures.long_pauses:
        return measures.long_pauses[0].start
    return max(take.duration - 1, 0)


def _recorded_take(seeker, page, question, work, position):
    """One answer recorded, measured and rendered by the real jobs, run here."""
    path = demo_recordings.spoken_answer(work, f"reponse-{position}", ANSWERS[position - 1])
    with open(path, "rb") as handle:
        take = recordings.receive_file(seeker, page, question.pk, File(handle, name=path.name))
    jobs.reset_attempts(take.pk)
    jobs.process_feedback(take.pk)
    jobs.process_rendition(take.pk)
    take.refresh_from_db()
    return take


def seed_attempt(out):
    """The demo seeker's attempt 1 at the classic questions, sent, and its review. Made
    once: nothing happens when the seeker already has an attempt there."""
    page = MockInterviewPage.objects.filter(title=CLASSIC).first()
    seeker = User.objects.filter(email=SEEKER_EMAIL).first()
    counsellor = User.objects.filter(email=COUNSELLOR_EMAIL).first()
    if page is None or seeker is None or counsellor is None:
        return None
    if Attempt.objects.filter(seeker=seeker, interview=page).exists():
        return None
    if missing := demo_recordings.missing_tools():
        out(f"Simulation d'entretien de démonstration non enregistrée : {', '.join(missing)} manquant(s).")
        return None
    with tempfile.TemporaryDirectory(prefix="tremplin-demo-") as work:
        takes = [
            _recorded_take(seeker, page, question, Path(work), position)
            for position, question in enumerate(page.questions(), start=1)
        ]
    attempt = takes[0].attempt
    criteria = submissions.criteria_of(page)
    submissions.submit(
        attempt,
        self_assessment={
            str(criterion.pk): level for criterion, level in zip(criteria, SELF_ASSESSMENT, strict=False)
        },
        notes=NOTES,
        chosen={take.position: take.pk for take in takes},
    )
    sent = reviews.sent_takes(attempt)
    for position, where, text in COMMENTS:
        take = sent[position - 1]
        reviews.add_comment(attempt, counsellor, take=take, at_seconds=_comment_time(take, where), text=text)
    reviews.give(
        attempt,
        counsellor,
        scores={str(criterion.pk): level for criterion, level in zip(criteria, SCORES, strict=False)},
        advice=REVIEW_ADVICE,
        decision=Decision.PRACTISE_AGAIN,
    )
    out(f"Simulation « {CLASSIC} » envoyée par {seeker.email} et relue par {counsellor.email}.")
    return attempt
