"""The French texts of the demo MOOCs: the catalogue's introduction, the themes, and
four courses of four weeks.

Each course is a dict: title, slug, theme (a slug of THEMES), colour (of its video's
background), summary, objectives, audience, prerequisites, speech (the sentences its
introduction video says, courses.demo.videos) and weeks: (title, goals separated by
"|", lessons as (title, markup), quiz questions). Lessons are written in a tiny markup
(courses.demo.markup): a line "## Title" is a heading, "- text" a list item, "!kind
Title | text" a callout (kind: exercise, tip or important), any other line a
paragraph; **text** is bold. A quiz answer is "+text | feedback" when right, "-text |
feedback" when wrong.
"""

THEMES = {
    "projet-professionnel": "Projet professionnel",
    "candidature": "Candidature",
    "reseaux-numerique": "Réseaux et numérique",
    "entretien": "Entretien",
}
INDEX_INTRO = (
    "Des formations gratuites de quatre semaines, environ deux heures par semaine, à suivre "
    "à votre rythme depuis un ordinateur ou un téléphone. Chaque semaine : des leçons courtes, "
    "des exercices pratiques et un petit quiz pour vérifier ce que vous avez retenu."
)
HOW_IT_WORKS = """## Comment ça marche ?
- Une nouvelle semaine s'ouvre sept jours après la précédente, à partir de votre inscription.
- Chaque semaine : deux leçons courtes, un exercice à faire sur papier et un quiz.
- Vous pouvez faire une pause quand vous voulez : vous reprendrez là où vous vous étiez arrêté.
- À la fin, vous recevez une attestation de suivi à joindre à vos candidatures.
!tip Un cahier pour ce MOOC | Gardez un cahier ou un document pour noter vos réponses aux exercices. Vous en aurez besoin dans les semaines suivantes."""
QUIZ_INTRO = (
    "Quelques questions pour vérifier ce que vous avez retenu cette semaine. Vous pouvez "
    "recommencer autant de fois que vous le souhaitez : lisez bien les explications."
)

COURSES = [
    {
        "title": "Définir son projet professionnel",
        "slug": "definir-son-projet-professionnel",
        "theme": "projet-professionnel",
        "colour": "0x1d4e89",
        "summary": "Faites le point sur votre parcours, vos compétences et vos envies, puis explorez "
        "des métiers pour choisir une piste réaliste et construire votre plan d'action.",
        "objectives": ["Repérer vos compétences et vos qualités", "Explorer des métiers qui recrutent",
                       "Vérifier qu'un projet est réaliste", "Construire un plan d'action concret"],
        "audience": "Toute personne qui cherche un emploi ou veut changer de métier, sans idée précise ou avec plusieurs pistes.",
        "prerequisites": "Aucun. Savoir lire un texte simple et cliquer avec la souris suffit.",
        "speech": ["Bonjour et bienvenue dans cette formation.",
                   "Pendant quatre semaines, vous allez définir votre projet professionnel.",
                   "Comptez deux heures par semaine, à votre rythme."],
        "weeks": [
            ("Faire le point sur votre parcours", "Comprendre le fonctionnement du MOOC|Lister toutes vos expériences", [
                ("Votre parcours est une richesse", """Tout ce que vous avez vécu compte : emplois, stages, intérim, mais aussi bénévolat, vie de famille ou loisirs.
## Ce qui compte dans un parcours
- Les **emplois** et les **missions**, même courtes
- Les **activités bénévoles** : association, club de sport, aide à un proche
- Les **formations**, avec ou sans diplôme
!exercise Votre ligne de vie | Sur une feuille, tracez une ligne de votre premier emploi à aujourd'hui. Notez chaque expérience avec une date et ce que vous y faisiez."""),
            ], [
                ("Quelles expériences pouvez-vous mettre en avant ?", ["+Un emploi salarié | Oui, bien sûr.",
                 "+Une activité bénévole dans une association | Oui : elle montre des compétences réelles.",
                 "+S'occuper d'un parent malade | Oui : organisation, patience, responsabilité.",
                 "-Seulement les emplois de plus d'un an | Non, une mission courte compte aussi."]),
                ("À quoi sert la ligne de vie ?", ["-À calculer votre retraite | Non, ce n'est pas son but.",
                 "+À voir d'un coup d'œil tout votre parcours | Exactement : rien n'est oublié."]),
            ]),
            ("Vos compétences et vos qualités", "Distinguer savoir-faire et savoir-être|Nommer vos motivations", [
                ("Savoir-faire et savoir-être", """Une compétence, c'est ce que vous savez faire et comment vous le faites.
## Deux familles de compétences
- Les **savoir-faire** : conduire un chariot, tenir une caisse, préparer un repas
- Les **savoir-être** : être ponctuel, travailler en équipe, rester calme
!exercise Trois expériences, dix compétences | Reprenez trois expériences de votre ligne de vie. Pour chacune, écrivez ce que vous faisiez avec des verbes : accueillir, ranger, vérifier, conseiller…"""),
                ("Ce qui vous motive", """Un bon projet tient compte de vos envies autant que de vos compétences.
## Posez-vous les bonnes questions
- Préférez-vous travailler seul ou en équipe ? Dehors ou dans un bureau ?
- Quels horaires sont possibles pour vous ?
- Qu'est-ce qui vous a plu dans vos emplois passés ?
!tip Demandez l'avis d'un proche | Un ami ou un ancien collègue voit souvent des qualités que vous ne voyez pas."""),
            ], [
                ("Lequel est un savoir-être ?", ["-Utiliser un tableur | C'est un savoir-faire, une technique.",
                 "+Être ponctuel | Oui, c'est une façon d'être au travail."]),
                ("Quelles questions aident à connaître vos motivations ?", ["+Préférez-vous le travail en équipe ? | Oui.",
                 "+Quels horaires sont possibles pour vous ? | Oui, c'est une contrainte importante.",
                 "-Quel est le salaire de votre voisin ? | Non, cela ne vous concerne pas."]),
            ]),
            ("Explorer les métiers", "Trouver des idées de métiers|Rencontrer des professionnels", [
                ("Trouver des idées de métiers", """Vos compétences peuvent servir dans plusieurs métiers, parfois dans d'autres secteurs.
## Où chercher des idées ?
- Les **fiches métiers** de France Travail : missions, salaires, accès
- Les **salons de l'emploi** et les journées portes ouvertes
- Les **offres d'emploi** : lisez-les pour voir ce qui est demandé
!exercise Trois pistes | Notez trois métiers qui vous attirent. Pour chacun, lisez sa fiche métier et entourez ce que vous savez déjà faire."""),
                ("Enquêter auprès des professionnels", """Le meilleur moyen de connaître un métier, c'est d'en parler avec quelqu'un qui l'exerce.
## L'enquête métier
- Préparez cinq questions : une journée type, les difficultés, comment débuter
- Demandez vingt minutes, pas un emploi : les gens acceptent plus volontiers
- Remerciez toujours, par écrit si possible
!important Restez curieux | Une enquête sert à vous informer : ne demandez pas de poste pendant l'entretien."""),
            ], [
                ("Où trouver des informations fiables sur un métier ?", ["+Les fiches métiers de France Travail | Oui.",
                 "+Un professionnel du métier | Oui, c'est même la meilleure source.",
                 "-Une publicité sur les réseaux sociaux | Non, elle cherche surtout à vendre."]),
                ("Pendant une enquête métier, vous…", ["-demandez un emploi tout de suite | Non : vous venez vous informer.",
                 "+posez vos questions préparées | Oui, et vous écoutez les réponses."]),
            ]),
            ("Construire votre plan d'action", "Vérifier que votre projet est réaliste|Planifier vos prochaines étapes", [
                ("Vérifier que votre projet est réaliste", """Un projet réaliste correspond à vos compétences, à vos contraintes et aux besoins des employeurs.
## Trois questions à vous poser
- Ce métier recrute-t-il près de chez vous ?
- Avez-vous besoin d'une formation ? Combien de temps dure-t-elle ?
- Le salaire et les horaires vous conviennent-ils ?
!exercise Le bilan de votre piste | Pour votre piste préférée, notez ce qui est déjà prêt et ce qui manque encore."""),
                ("Votre plan d'action en petites étapes", """Un grand objectif se découpe en petites étapes faciles à commencer.
## Un bon plan d'action
- Une étape = une action précise avec une date
- Commencez par ce qui prend moins d'une heure
- Parlez de votre plan avec votre conseillère
!exercise Trois actions cette semaine | Écrivez trois actions pour les sept prochains jours, avec un jour pour chacune."""),
            ], [
                ("Qu'est-ce qui rend un projet réaliste ?", ["+Le métier recrute dans votre région | Oui.",
                 "+Vos contraintes sont prises en compte | Oui : horaires, transport, garde d'enfants.",
                 "-Le métier est à la mode | Non, ce n'est pas un critère suffisant."]),
                ("Laquelle est une bonne étape de plan d'action ?", ["-Trouver un emploi | C'est l'objectif, pas une étape.",
                 "+Appeler le centre de formation lundi matin | Oui : précis et daté."]),
            ]),
        ],
    },
    {
        "title": "Réussir son CV et sa lettre de motivation",
        "slug": "reussir-son-cv-et-sa-lettre-de-motivation",
        "theme": "candidature",
        "colour": "0x2e7d4f",
        "summary": "Écrivez un CV clair d'une page et une lettre de motivation qui donne envie de vous "
        "rencontrer, puis envoyez votre candidature et relancez au bon moment.",
        "objectives": ["Construire un CV clair et lisible", "Mettre en valeur vos expériences",
                       "Écrire une lettre de motivation adaptée à l'offre", "Envoyer et relancer une candidature"],
        "audience": "Les personnes qui préparent leurs candidatures, qu'elles aient déjà un CV ou non.",
        "prerequisites": "Savoir écrire un texte simple. Un ordinateur avec un traitement de texte aide pour la semaine 2.",
        "speech": ["Bonjour et bienvenue dans cette formation.",
                   "En quatre semaines, vous allez écrire un CV clair et une lettre qui donne envie.",
                   "Avancez à votre rythme, pas à pas."],
        "weeks": [
            ("Les bases d'un bon CV", "Comprendre à quoi sert un CV|Savoir ce qu'un recruteur regarde", [
                ("À quoi sert un CV ?", """Un CV ne raconte pas toute votre vie : il donne envie de vous rencontrer.
## Ce que regarde un recruteur
- Le **titre** : quel poste vous cherchez
- Vos **expériences** récentes et ce que vous y avez fait
- Vos **coordonnées**, faciles à trouver
!tip Trente secondes | Un recruteur lit un CV en moins d'une minute : allez à l'essentiel, une page suffit."""),
            ], [
                ("Quel est le but d'un CV ?", ["+Obtenir un entretien | Oui, c'est son seul objectif.",
                 "-Raconter toute votre vie | Non, choisissez ce qui sert le poste visé."]),
                ("Que doit-on trouver facilement sur un CV ?", ["+Votre numéro de téléphone | Oui.",
                 "+Le poste que vous recherchez | Oui, en titre.", "-Votre numéro de sécurité sociale | Non, jamais."]),
            ]),
            ("Rédiger votre CV", "Choisir les bonnes rubriques|Décrire vos expériences avec des verbes d'action", [
                ("Les rubriques du CV", """Un CV clair suit toujours le même ordre.
## L'ordre conseillé
- Nom, téléphone, courriel et ville
- Un titre : le poste recherché
- Les expériences, de la plus récente à la plus ancienne
- Les formations, puis les compétences et les centres d'intérêt
!important Une adresse courriel sérieuse | Utilisez une adresse avec votre prénom et votre nom, par exemple prenom.nom@exemple.fr."""),
                ("Mettre en valeur vos expériences", """Pour chaque expérience, dites ce que vous avez fait avec des verbes d'action.
## Avant, après
- Avant : « Caisse »
- Après : « Encaisser les clients et tenir la caisse, 200 passages par jour »
!exercise Réécrire une expérience | Choisissez une expérience et décrivez-la en trois lignes qui commencent par un verbe."""),
            ], [
                ("Dans quel ordre présenter vos expériences ?", ["+De la plus récente à la plus ancienne | Oui.",
                 "-De la plus ancienne à la plus récente | Non : le recruteur veut voir d'abord la plus récente."]),
                ("Quelle description est la plus parlante ?", ["-« Caisse » | Trop court : on ne sait pas ce que vous faisiez.",
                 "+« Encaisser les clients, 200 passages par jour » | Oui : un verbe et un chiffre."]),
            ]),
            ("La lettre de motivation", "Connaître le plan en trois parties|Adapter la lettre à chaque offre", [
                ("Vous, moi, nous : le plan en trois parties", """Une lettre de motivation tient en une page et suit un plan simple.
## Le plan « vous, moi, nous »
- **Vous** : ce qui vous attire dans cette entreprise
- **Moi** : ce que vous apportez, avec un exemple
- **Nous** : votre envie de travailler ensemble et la demande d'entretien
!exercise Une phrase par partie | Pour une offre qui vous intéresse, écrivez une phrase pour chaque partie."""),
                ("Adapter la lettre à chaque offre", """Une lettre envoyée à tout le monde ne convainc personne.
## Reprenez les mots de l'offre
- Soulignez dans l'offre les compétences demandées
- Montrez dans votre lettre que vous les avez, avec un exemple
!tip Relisez à voix haute | Lire sa lettre à voix haute aide à repérer les phrases trop longues et les fautes."""),
            ], [
                ("Que mettre dans la partie « Moi » ?", ["+Ce que vous apportez, avec un exemple | Oui.",
                 "-Vos difficultés personnelles | Non, restez sur vos atouts."]),
                ("Comment adapter une lettre à une offre ?", ["+Reprendre les compétences demandées | Oui.",
                 "+Citer l'entreprise | Oui, cela montre votre intérêt.",
                 "-Envoyer la même lettre partout | Non, elle ne convaincra pas."]),
            ]),
            ("Envoyer votre candidature", "Envoyer une candidature par courriel|Relancer sans insister", [
                ("Répondre à une offre par courriel", """Le courriel est la première chose que lit le recruteur : soignez-le.
## Un courriel de candidature
- Objet : « Candidature au poste de… » avec la référence de l'offre
- Trois phrases courtes, polies, et votre numéro de téléphone
- Le CV et la lettre en pièces jointes, au format PDF, avec votre nom
!exercise Votre modèle de courriel | Écrivez un courriel de candidature que vous pourrez réutiliser en changeant le poste."""),
                ("Relancer après une candidature", """Relancer montre votre motivation, à condition de le faire au bon moment.
## Quand et comment relancer ?
- Attendez une semaine à dix jours
- Un appel ou un court courriel poli suffit
- Notez la date de chaque candidature dans un tableau de suivi
!tip Un tableau de suivi | Entreprise, poste, date d'envoi, date de relance, réponse : vous ne perdez rien de vue."""),
            ], [
                ("Sous quel format joindre votre CV ?", ["+En PDF | Oui : il s'ouvre partout sans être modifié.",
                 "-En photo prise avec le téléphone | Non, elle est souvent floue."]),
                ("Quand relancer après une candidature ?", ["-Le lendemain | Trop tôt.",
                 "+Après une semaine à dix jours | Oui, c'est le bon moment.", "-Jamais | Dommage : une relance montre votre motivation."]),
            ]),
        ],
    },
    {
        "title": "Les réseaux sociaux pour trouver un emploi",
        "slug": "les-reseaux-sociaux-pour-trouver-un-emploi",
        "theme": "reseaux-numerique",
        "colour": "0x6a3d9a",
        "summary": "Découvrez comment les réseaux sociaux aident à trouver un emploi : créer un profil "
        "soigné, protéger votre vie privée, développer votre réseau et repérer des offres.",
        "objectives": ["Choisir les réseaux utiles à votre recherche", "Créer un profil professionnel",
                       "Protéger votre vie privée", "Trouver des offres et vous faire repérer"],
        "audience": "Les personnes peu à l'aise avec internet qui veulent utiliser les réseaux pour leur recherche d'emploi.",
        "prerequisites": "Avoir une adresse courriel. Un téléphone ou un ordinateur connecté à internet.",
        "speech": ["Bonjour et bienvenue dans cette formation.",
                   "Vous allez découvrir comment les réseaux sociaux aident à trouver un emploi.",
                   "Pas besoin d'être un expert : on commence par le début."],
        "weeks": [
            ("Comprendre les réseaux", "Connaître les principaux réseaux|Choisir ceux qui servent votre recherche", [
                ("Réseaux sociaux : lesquels choisir ?", """Vous n'avez pas besoin d'être partout : choisissez un ou deux réseaux.
## Les principaux réseaux
- **LinkedIn** : le réseau professionnel, très utilisé par les recruteurs
- **Facebook** : des groupes d'offres d'emploi par ville ou par métier
- **Indeed** et les sites d'offres : pas des réseaux, mais des alertes utiles
!exercise Votre choix | Notez le ou les réseaux que vous allez utiliser, et pourquoi."""),
            ], [
                ("Quel réseau est d'abord professionnel ?", ["+LinkedIn | Oui.", "-Un jeu en ligne | Non."]),
                ("Faut-il être inscrit sur tous les réseaux ?", ["-Oui, partout | Non : mieux vaut un ou deux réseaux bien tenus.",
                 "+Non, un ou deux suffisent | Exactement."]),
            ]),
            ("Créer un profil qui donne envie", "Soigner photo, titre et résumé|Régler la confidentialité", [
                ("Photo, titre et résumé", """Votre profil est votre vitrine : un recruteur le regarde en quelques secondes.
## Les trois éléments clés
- Une **photo** nette, souriante, sur un fond simple
- Un **titre** qui dit le métier recherché, par exemple « Agent logistique – cariste »
- Un **résumé** de trois ou quatre phrases sur ce que vous savez faire
!exercise Votre titre | Écrivez trois titres possibles pour votre profil et gardez le plus clair."""),
                ("Protéger votre vie privée", """Sur internet, ce que vous publiez peut être vu par un futur employeur.
## Les bons réflexes
- Vérifiez qui peut voir vos photos et vos publications
- Ne publiez jamais votre adresse ni vos papiers d'identité
- Tapez votre nom dans un moteur de recherche pour voir ce qui apparaît
!important Attention aux fausses offres | Une offre qui demande de l'argent ou vos coordonnées bancaires est une arnaque."""),
            ], [
                ("Quelle photo choisir pour un profil professionnel ?", ["+Une photo nette et souriante | Oui.",
                 "-Une photo de vacances en maillot | Non, gardez-la pour vos proches."]),
                ("Quelles informations ne jamais publier ?", ["+Votre adresse personnelle | Oui, gardez-la privée.",
                 "+Une photo de votre carte d'identité | Oui : risque d'usurpation.",
                 "-Le métier que vous recherchez | Au contraire, dites-le !"]),
            ]),
            ("Développer votre réseau", "Entrer en contact avec des professionnels|Mobiliser vos proches", [
                ("Entrer en contact avec les bonnes personnes", """Un réseau se construit petit à petit, avec des messages simples et polis.
## Un message de contact
- Présentez-vous en une phrase
- Dites pourquoi vous écrivez à cette personne
- Remerciez, sans demander d'emploi dès le premier message
!exercise Cinq contacts | Trouvez cinq personnes qui travaillent dans le métier visé et préparez un message pour chacune."""),
                ("Votre réseau personnel compte aussi", """Beaucoup d'emplois se trouvent par le bouche-à-oreille.
## Parlez de votre recherche
- À votre famille, à vos amis, à vos voisins
- Aux anciens collègues et aux commerçants de votre quartier
!tip Une phrase toute prête | « Je cherche un poste de… à… Si vous entendez parler de quelque chose, pensez à moi ! »"""),
            ], [
                ("Dans un premier message à un professionnel, vous…", ["-demandez tout de suite un emploi | Non, c'est trop direct.",
                 "+vous présentez et expliquez pourquoi vous lui écrivez | Oui."]),
                ("À qui parler de votre recherche ?", ["+À vos amis et à votre famille | Oui.",
                 "+À vos anciens collègues | Oui, ils connaissent votre travail.", "-À personne | Dommage : le bouche-à-oreille marche bien."]),
            ]),
            ("Trouver des offres et se faire repérer", "Rechercher des offres sur les réseaux|Publier avec prudence", [
                ("Rechercher des offres sur les réseaux", """Les réseaux permettent de recevoir des offres sans chercher tous les jours.
## Les outils utiles
- Les **alertes** : recevez les nouvelles offres par courriel
- Les **groupes** locaux d'offres d'emploi
- Les **pages des entreprises** qui vous intéressent
!exercise Une alerte | Créez une alerte pour le métier visé dans votre ville."""),
                ("Publier et réagir avec prudence", """Publier de temps en temps montre que vous êtes actif, à condition de rester professionnel.
## Quoi publier ?
- Une formation terminée, une attestation obtenue
- Un article utile sur votre métier, avec un court commentaire
!important Restez poli | Ne critiquez jamais un ancien employeur en ligne : les recruteurs le voient."""),
            ], [
                ("À quoi sert une alerte ?", ["+À recevoir les nouvelles offres par courriel | Oui.",
                 "-À signaler un problème technique | Non."]),
                ("Que pouvez-vous publier sur un réseau professionnel ?", ["+Une formation terminée | Oui.",
                 "-Une critique de votre ancien patron | Non, cela donne une mauvaise image.",
                 "+Un article sur votre métier | Oui, avec un commentaire personnel."]),
            ]),
        ],
    },
    {
        "title": "Réussir son entretien d'embauche",
        "slug": "reussir-son-entretien-dembauche",
        "theme": "entretien",
        "colour": "0xb35900",
        "summary": "Préparez votre entretien d'embauche avec confiance : se renseigner sur l'entreprise, "
        "se présenter en deux minutes, répondre aux questions et assurer le suivi.",
        "objectives": ["Préparer l'entretien", "Vous présenter en deux minutes",
                       "Répondre aux questions fréquentes et difficiles", "Remercier et relancer après l'entretien"],
        "audience": "Les personnes qui ont ou espèrent bientôt un entretien, et celles que l'exercice inquiète.",
        "prerequisites": "Aucun. Un téléphone pour vous enregistrer est utile en semaine 2.",
        "speech": ["Bonjour et bienvenue dans cette formation.",
                   "En quatre semaines, vous allez préparer votre entretien d'embauche avec confiance.",
                   "Entraînez-vous à votre rythme, et gardez courage !"],
        "weeks": [
            ("Se préparer avant l'entretien", "Se renseigner sur l'entreprise|Préparer ses documents", [
                ("Se renseigner sur l'entreprise", """Un candidat qui connaît l'entreprise fait toujours bonne impression.
## Ce qu'il faut savoir
- Ce que fait l'entreprise et qui sont ses clients
- Le poste : les missions, les horaires, le lieu
- Le nom de la personne qui vous reçoit
!exercise Votre fiche entreprise | Sur une page, notez ce que vous avez appris sur l'entreprise et deux questions à lui poser."""),
            ], [
                ("Que faut-il savoir avant l'entretien ?", ["+Ce que fait l'entreprise | Oui.",
                 "+Les missions du poste | Oui.", "-Le salaire de la personne qui vous reçoit | Non, cela ne vous regarde pas."]),
                ("Pourquoi préparer des questions à poser ?", ["+Pour montrer votre intérêt | Oui.",
                 "-Pour remplir le silence | Non : posez des questions qui vous sont utiles."]),
            ]),
            ("Se présenter en deux minutes", "Construire votre présentation|Vous entraîner à voix haute", [
                ("Le pitch : qui vous êtes, ce que vous savez faire", """« Parlez-moi de vous » : c'est presque toujours la première question.
## Une présentation en trois temps
- **Qui vous êtes** : votre métier ou le poste recherché
- **Ce que vous savez faire** : deux ou trois expériences clés
- **Ce que vous cherchez** : pourquoi ce poste vous intéresse
!exercise Votre pitch | Écrivez votre présentation en six phrases au maximum."""),
                ("S'entraîner à voix haute", """Une présentation se prépare comme une chanson : en la répétant.
## Comment s'entraîner
- Lisez votre texte, puis dites-le sans le lire
- Enregistrez-vous avec votre téléphone et réécoutez-vous
- Demandez à un proche de jouer le recruteur
!tip Respirez | Parler lentement donne une impression de calme : faites des pauses entre les phrases."""),
            ], [
                ("Combien de temps doit durer votre présentation ?", ["-Dix minutes | Trop long : le recruteur décroche.",
                 "+Environ deux minutes | Oui."]),
                ("Comment vous entraîner ?", ["+Vous enregistrer avec votre téléphone | Oui.",
                 "+Répéter devant un proche | Oui.", "-Apprendre par cœur sans jamais le dire à voix haute | Non : dites-le pour de vrai."]),
            ]),
            ("Répondre aux questions", "Préparer les questions fréquentes|Aborder les questions difficiles", [
                ("Les questions les plus fréquentes", """Certaines questions reviennent dans presque tous les entretiens.
## À préparer
- « Pourquoi ce poste ? »
- « Quelles sont vos qualités ? » : donnez un exemple pour chacune
- « Quel est votre point faible ? » : dites aussi ce que vous faites pour progresser
!exercise Trois réponses | Écrivez vos réponses à ces trois questions, avec un exemple concret à chaque fois."""),
                ("Les questions difficiles", """Une période sans emploi ou un changement de métier s'expliquent simplement.
## Restez positif
- Dites les faits en une phrase, sans vous justifier longtemps
- Parlez de ce que vous avez fait pendant cette période : formation, bénévolat, famille
!important Vous avez des droits | Un recruteur n'a pas à vous interroger sur votre santé, votre religion ou votre projet d'enfant."""),
            ], [
                ("Comment répondre à « Quelles sont vos qualités ? »", ["+Citer une qualité avec un exemple | Oui.",
                 "-Dire « je n'en ai pas » | Non, vous en avez : préparez-les."]),
                ("Quelles questions un recruteur n'a pas le droit de poser ?", ["+Sur votre religion | Exact.",
                 "+Sur votre projet d'avoir un enfant | Exact.", "-Sur vos expériences passées | Si, c'est tout à fait normal."]),
            ]),
            ("Le jour J et après", "Bien vivre le jour de l'entretien|Assurer le suivi", [
                ("Le jour de l'entretien", """Le jour J, l'essentiel est déjà prêt : il reste à être à l'heure et à rester vous-même.
## La check-list
- Vérifiez le trajet la veille et partez en avance
- Emportez votre CV, l'offre et de quoi noter
- Éteignez votre téléphone avant d'entrer
!tip Arrivez dix minutes avant | Pas plus tôt : cela vous laisse le temps de souffler sans gêner."""),
                ("Après l'entretien : remercier et relancer", """L'entretien n'est pas fini quand vous sortez.
## Le suivi
- Le jour même, envoyez un court courriel de remerciement
- Notez les questions posées pour le prochain entretien
- Sans réponse après la date annoncée, relancez poliment
!exercise Votre courriel de remerciement | Écrivez un modèle de trois phrases que vous adapterez après chaque entretien."""),
            ], [
                ("Que faire en arrivant à l'entretien ?", ["+Éteindre votre téléphone | Oui.",
                 "-Arriver une heure en avance | Non, dix minutes suffisent."]),
                ("Après l'entretien, vous…", ["+envoyez un courriel de remerciement | Oui, le jour même.",
                 "+notez les questions posées | Oui, pour la prochaine fois.", "-attendez sans rien faire | Dommage : un suivi montre votre motivation."]),
            ]),
        ],
    },
]  # fmt: skip
