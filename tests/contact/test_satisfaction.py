"""Satisfaction: the survey offered after an answered conversation, answered once, and the
managers' shares per counsellor and per channel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contact import messages as conversation
from contact import satisfaction
from contact.models import Appointment, Satisfaction, SatisfactionChannel
from core.demo import seed
from core.privacy import export_user_data
from courses.models import SurveyResponse
from tests.factories import CounsellorFactory, ManagerFactory, SeekerFactory, TeamFactory
from tests.factories import courses as build_courses

MONDAY = timezone.make_aware(datetime.datetime(2027, 3, 22, 10, 0))


@pytest.mark.django_db
def test_an_answered_conversation_offers_one_survey_a_week(seeker, counsellor, queues):
    conversation.send(seeker, seeker, "Bonjour, une question sur mon CV.", now=MONDAY, notify=False)
    assert not Satisfaction.objects.exists(), "a seeker's own message offers nothing"
    conversation.send(seeker, counsellor, "Bonjour, je regarde.", now=MONDAY, notify=False)
    conversation.send(
        seeker, counsellor, "Voici mes remarques.", now=MONDAY + datetime.timedelta(days=3), notify=False
    )
    (survey,) = Satisfaction.objects.all()
    assert (survey.seeker, survey.counsellor, survey.channel) == (
        seeker,
        counsellor,
        SatisfactionChannel.MESSAGES,
    )
    conversation.send(
        seeker, counsellor, "La semaine suivante.", now=MONDAY + datetime.timedelta(days=7), notify=False
    )
    assert Satisfaction.objects.count() == 2


@pytest.mark.django_db
def test_the_seeker_answers_once_from_their_messages_page(client, seeker, counsellor, queues):
    conversation.send(seeker, counsellor, "Bonjour !", notify=False)
    survey = Satisfaction.objects.get()
    client.force_login(seeker)
    page = client.get(reverse("contact:my_messages")).content.decode()
    assert reverse("contact:satisfaction", args=[survey.pk]) in page

    response = client.post(reverse("contact:satisfaction", args=[survey.pk]), {"comment": "Rapide."})
    assert response.status_code == 200
    assert "Choisissez une note de 1 à 5." in response.content.decode()
    assert "Rapide." in response.content.decode(), "nothing typed is lost"

    response = client.post(
        reverse("contact:satisfaction", args=[survey.pk]), {"rating": "5", "comment": "Rapide."}
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.rating, survey.comment) == (5, "Rapide.") and survey.answered_at

    # Answered once: a second answer changes nothing, the link leaves the messages page.
    client.post(reverse("contact:satisfaction", args=[survey.pk]), {"rating": "1"})
    survey.refresh_from_db()
    assert survey.rating == 5
    assert (
        "vous avez déjà donné votre avis"
        in client.get(reverse("contact:satisfaction", args=[survey.pk])).content.decode()
    )
    assert (
        reverse("contact:satisfaction", args=[survey.pk])
        not in client.get(reverse("contact:my_messages")).content.decode()
    )
    assert export_user_data(seeker)["contact"]["satisfaction"][0]["rating"] == 5


def answered(counsellor, channel, rating, *, days_ago=1):
    seeker = SeekerFactory(counsellor=counsellor)
    survey = satisfaction.offer(seeker, counsellor=counsellor, channel=channel, about=f"test:{seeker.pk}")
    return satisfaction.answer(survey, rating=rating, when=timezone.now() - datetime.timedelta(days=days_ago))


@pytest.mark.django_db
def test_the_manager_sees_the_share_of_satisfied_seekers(client, django_assert_num_queries):
    team = TeamFactory()
    manager = ManagerFactory(team=team)
    team.manager = manager
    team.save()
    anne = CounsellorFactory(team=team, first_name="Anne", last_name="Petit")
    bruno = CounsellorFactory(team=team, first_name="Bruno", last_name="Roux")
    outsider = CounsellorFactory(team=TeamFactory())
    answered(anne, "visio", 5)
    answered(anne, "visio", 4)
    answered(anne, "messages", 2)
    answered(anne, "phone", 5, days_ago=200)  # outside the last 90 days
    answered(bruno, "phone", 3)
    course = build_courses.course(
        build_courses.catalogue(seed(lambda *args: None)), "Réussir son CV", weeks=0
    )
    for counsellor, rating in ((anne, 5), (bruno, 2), (outsider, 5)):
        SurveyResponse.objects.create(
            course=course, seeker=SeekerFactory(counsellor=counsellor), rating=rating
        )
    answered(outsider, "visio", 1)
    satisfaction.offer(SeekerFactory(), counsellor=bruno, channel="visio", about="unanswered")

    client.force_login(manager)
    response = client.get(reverse("contact:satisfaction_report"))
    per_counsellor, per_channel, per_module = (
        shares for _title, shares, _header, _empty in response.context["tables"]
    )
    assert [(s.label, s.answers, s.percent) for s in per_counsellor] == [
        ("Anne Petit", 3, 67),
        ("Bruno Roux", 1, 0),
    ]
    assert {s.label: (s.answers, s.percent) for s in per_channel} == {
        "Visio": (2, 100),
        "Téléphone": (1, 0),
        "En agence": (0, None),
        "Messages": (1, 0),
    }
    assert "67 %" in response.content.decode()
    # The MOOC's end-of-module survey, answered by the team's seekers only.
    assert [(s.label, s.answers, s.percent) for s in per_module] == [("Réussir son CV", 2, 50)]
    year = client.get(reverse("contact:satisfaction_report"), {"jours": "365"}).context["tables"][0][1]
    assert [s.answers for s in year] == [4, 1]

    # One aggregate query each, however many answers.
    counsellors = [anne, bruno]
    with django_assert_num_queries(1):
        satisfaction.by_channel(
            counsellors, since=timezone.now() - datetime.timedelta(days=90), until=timezone.now()
        )
    with django_assert_num_queries(1):
        satisfaction.by_module(
            counsellors, since=timezone.now() - datetime.timedelta(days=90), until=timezone.now()
        )
    with django_assert_num_queries(1):
        satisfaction.by_counsellor(
            counsellors, since=timezone.now() - datetime.timedelta(days=90), until=timezone.now()
        )


@pytest.mark.django_db
def test_a_held_appointment_offers_the_survey_on_mes_rendez_vous(client, counsellor, seeker, agenda):
    started = timezone.now() - datetime.timedelta(minutes=40)
    held, missed = (
        Appointment.objects.create(
            seeker=seeker,
            counsellor=counsellor,
            starts_at=started - datetime.timedelta(days=days),
            ends_at=started - datetime.timedelta(days=days) + datetime.timedelta(minutes=30),
            channel=channel,
        )
        for days, channel in ((0, "visio"), (2, "phone"))
    )
    client.force_login(counsellor)
    client.post(reverse("contact:close", args=[held.pk]), {"status": "held"})
    client.post(reverse("contact:close", args=[missed.pk]), {"status": "missed"})
    (survey,) = Satisfaction.objects.all()
    assert (survey.seeker, survey.counsellor, survey.channel, survey.about) == (
        seeker,
        counsellor,
        SatisfactionChannel.VISIO,
        f"appointment:{held.pk}",
    )

    client.force_login(seeker)
    page = client.get(reverse("contact:my_appointments")).content.decode()
    assert reverse("contact:satisfaction", args=[survey.pk]) in page
    response = client.post(reverse("contact:satisfaction", args=[survey.pk]), {"rating": "4"})
    assert response.url == reverse("contact:my_appointments")
