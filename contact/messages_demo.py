"""Demo messages: the demo seeker's conversation with the demo counsellor (answered,
and read), and two seekers of her portfolio waiting for an answer, so that the inbox,
the portfolio's column and the response times have something to show. No e-mail is
scheduled (the queues' Redis may not be up yet)."""

import datetime

from django.utils import timezone

from accounts.demo import COUNSELLOR_EMAIL, SEEKER_EMAIL
from accounts.models import User

from . import messages
from .models import Conversation

KARIM = [
    (
        True,
        3,
        "Bonjour, j’ai terminé la première semaine du MOOC « Réussir son CV ». Pouvez-vous relire mon CV ?",
    ),
    (False, 2, "Bonjour Karim, bravo ! Déposez-le dans l’e-atelier CV, je le relis cette semaine."),
    (
        True,
        1,
        "C’est fait, merci. Les offres de cariste sur https://www.francetravail.fr vous semblent-elles adaptées ?",
    ),
]
WAITING = [
    ("amina.diallo@demo.tremplin.test", 3, "Bonjour, je n’arrive pas à ouvrir la vidéo de la semaine 2."),
    ("julien.roux@demo.tremplin.test", 2, "Bonjour, pouvons-nous avancer notre rendez-vous ?"),
]


def seed(out):
    counsellor = User.objects.filter(email=COUNSELLOR_EMAIL).first()
    karim = User.objects.filter(email=SEEKER_EMAIL).first()
    if counsellor is None or karim is None or Conversation.objects.filter(seeker=karim).exists():
        return
    now = timezone.now()
    for from_seeker, days, text in KARIM:
        author = karim if from_seeker else counsellor
        messages.send(karim, author, text, now=now - datetime.timedelta(days=days), notify=False)
    messages.mark_read(karim.pk, by_seeker=False, now=now - datetime.timedelta(hours=20))
    for email, days, text in WAITING:
        seeker = User.objects.filter(email=email, seeker_profile__counsellor=counsellor).first()
        if seeker is not None:
            messages.send(seeker, seeker, text, now=now - datetime.timedelta(days=days), notify=False)
    out("Messages de démonstration créés.")
