"""Demo content of the mock interviews: the classic questions and a retail interview,
with one assessment grid. The demo seeker's recorded attempt and its review need the
recording pipeline: they are not seeded here."""

from core.models import HomePage

from .models import (
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
