"""Demo content of the counsellor workspace: a portfolio of a dozen seekers for the
demo counsellor, in every situation the portfolio shows (active, inactive, overdue,
"renforcé" without contact, a pending request), with assignments, contacts and notes.

Assignments go through `assigning.assign`, as a counsellor's do, without e-mails: the
seed runs before the queues' Redis is up under `make run`, and demo seekers need none.
"""

import datetime

from django.apps import apps
from django.utils import timezone

from accounts.demo import COUNSELLOR_EMAIL, DEMO_PASSWORD, SEEKER_EMAIL
from accounts.models import Modality, Role, User
from activity import log

from .assigning import assign
from .models import Contact, ContactChannel, ContactOutcome, FollowUp, Note, SeekerRequest, SeekerRequestKind

# (first name, last name, modality, web, days since last activity, days since last contact)
PORTFOLIO = [
    ("Amina", "Diallo", Modality.GUIDE, True, 1, 6),
    ("Julien", "Roux", Modality.GUIDE, True, 20, 25),
    ("Léa", "Fontaine", Modality.RENFORCE, False, 3, 18),
    ("Mohamed", "Haddad", Modality.RENFORCE, False, 2, 4),
    ("Chloé", "Bernard", Modality.SUIVI, True, 30, None),
    ("Thomas", "Petit", Modality.GUIDE, False, 5, 12),
    ("Inès", "Moreau", Modality.GUIDE, True, 0, 2),
    ("Lucas", "Garnier", Modality.RENFORCE, True, 16, 16),
    ("Sarah", "Lambert", Modality.SUIVI, False, 8, None),
    ("Hugo", "Faure", Modality.GUIDE, True, 11, 9),
    ("Yasmine", "Chevalier", Modality.GUIDE, False, 4, 20),
    ("Nicolas", "Robin", Modality.RENFORCE, False, 25, 30),
]


def _email(first, last):
    slug = f"{first}.{last}".lower()
    for accented, plain in (("é", "e"), ("è", "e"), ("ï", "i"), ("î", "i"), ("ç", "c")):
        slug = slug.replace(accented, plain)
    return f"{slug}@demo.tremplin.test"


def _assign(seeker, module, counsellor, *, days_ago, due_in, message=""):
    assign(
        module,
        [seeker],
        by=counsellor,
        due_date=timezone.localdate() + datetime.timedelta(days=due_in),
        message=message,
        now=timezone.now() - datetime.timedelta(days=days_ago),
        notify=False,
    )


def _moocs():
    """The live MOOCs that courses' demo made, in the catalogue's order: the demo
    portfolio assigns MOOCs. Looked up by name, as seed_demo finds each app's demo."""
    return list(apps.get_model("courses", "CoursePage").objects.live().order_by("path"))


def seed(out):
    counsellor = User.objects.get(email=COUNSELLOR_EMAIL)
    courses = _moocs()
    now = timezone.now()
    created = 0
    for index, (first, last, modality, web, active_days, contact_days) in enumerate(PORTFOLIO):
        email = _email(first, last)
        if User.objects.filter(email=email).exists():
            continue
        joined = now - datetime.timedelta(days=60)
        seeker = User(email=email, first_name=first, last_name=last, role=Role.SEEKER, date_joined=joined)
        seeker.set_password(DEMO_PASSWORD)
        seeker.save()
        profile = seeker.seeker_profile
        profile.modality, profile.counsellor = modality, counsellor
        profile.save(update_fields=["modality", "counsellor"])
        FollowUp.objects.create(
            seeker=seeker, counsellor=counsellor, started_at=joined, changed_by=counsellor
        )
        if web:
            profile.validate_web(counsellor, now=joined + datetime.timedelta(days=1))
        log.record(seeker, "account.logged_in", when=now - datetime.timedelta(days=active_days, hours=2))
        if contact_days is not None:
            Contact.objects.create(
                seeker=seeker,
                counsellor=counsellor,
                channel=ContactChannel.VISIO if index % 2 else ContactChannel.PHONE,
                outcome=ContactOutcome.REACHED,
                happened_at=now - datetime.timedelta(days=contact_days),
                summary="Point sur la recherche d'emploi et les formations en cours.",
            )
        if courses:
            # Every third seeker is late on a MOOC due five days ago.
            due_in = -5 if index % 3 == 1 else 14
            _assign(seeker, courses[index % len(courses)], counsellor, days_ago=20, due_in=due_in)
        created += 1

    karim = User.objects.get(email=SEEKER_EMAIL)
    if not FollowUp.objects.filter(seeker=karim).exists():
        FollowUp.objects.create(
            seeker=karim,
            counsellor=counsellor,
            started_at=now - datetime.timedelta(days=30),
            changed_by=counsellor,
        )
    if len(courses) >= 4:
        _assign(
            karim,
            courses[0],
            counsellor,
            days_ago=9,
            due_in=12,
            message="Prenez le temps de faire les exercices : on en parle à notre prochain rendez-vous.",
        )
        _assign(karim, courses[1], counsellor, days_ago=2, due_in=30)
    if not Note.objects.filter(seeker=karim).exists():
        Note.objects.create(
            seeker=karim,
            author=counsellor,
            body="<p>Très motivé. Cherche un poste de <strong>magasinier</strong> ; permis B.</p>",
        )
        Contact.objects.create(
            seeker=karim,
            counsellor=counsellor,
            channel=ContactChannel.VISIO,
            happened_at=now - datetime.timedelta(days=8),
            summary="Entretien d'inscription : validation du suivi 100 % web.",
        )
    first_seeker = User.objects.filter(email=_email(*PORTFOLIO[2][:2])).first()
    if first_seeker and not SeekerRequest.objects.filter(seeker=first_seeker).exists():
        SeekerRequest.objects.create(
            seeker=first_seeker,
            kind=SeekerRequestKind.IN_PERSON,
            message="Je préférerais un rendez-vous à l'agence pour mon CV.",
            created_at=now - datetime.timedelta(days=1),
        )
    if created:
        out(f"Portefeuille de démonstration : {created} demandeurs ajoutés à la conseillère.")
