"""Callback requests: the seeker's form, the counsellor's list, the call in the contact log."""

import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from accounts.models import Modality
from activity.models import ActivityEntry
from coaching import overview
from coaching.models import Contact, ContactOutcome, SeekerRequest
from coaching.permissions import visible_seekers
from contact import callbacks
from core.privacy import export_user_data
from tests.factories import CounsellorFactory, SeekerFactory


def test_the_half_days_are_those_of_the_coming_five_working_days():
    # From a Thursday: Friday, then Monday to Thursday (the weekend skipped).
    days = callbacks.working_days(datetime.date(2027, 3, 25), 5)
    assert days == [datetime.date(2027, 3, day) for day in (26, 29, 30, 31)] + [datetime.date(2027, 4, 1)]
    choices = callbacks.half_day_choices(datetime.date(2027, 3, 25))
    assert len(choices) == 10
    assert choices[0] == ("2027-03-26:am", "vendredi 26 mars, matin")
    assert choices[1] == ("2027-03-26:pm", "vendredi 26 mars, après-midi")


def form_data(**changes):
    return {
        "phone": "06 12 34 56 78",
        "half_days": [callbacks.half_day_choices()[0][0], callbacks.half_day_choices()[3][0]],
        "reason": "Une question sur mon atelier CV.",
        **changes,
    }


@pytest.mark.django_db
def test_the_seeker_asks_to_be_called_back(client, seeker):
    client.force_login(seeker)
    page = client.get(reverse("contact:ask_callback"))
    assert page.status_code == 200
    assert "Quand votre conseiller peut-il vous appeler" in page.content.decode()

    response = client.post(reverse("contact:ask_callback"), form_data())
    assert response.status_code == 302 and response.url == reverse("coaching:dashboard")
    asked = SeekerRequest.objects.get(seeker=seeker)
    assert (asked.kind, asked.phone.as_e164, asked.message) == (
        "callback",
        "+33612345678",
        "Une question sur mon atelier CV.",
    )
    assert asked.half_days == sorted(form_data()["half_days"])
    assert ActivityEntry.objects.filter(seeker=seeker, verb="request.callback").exists()


@pytest.mark.django_db
def test_an_international_number_is_accepted(client, seeker):
    client.force_login(seeker)
    client.post(reverse("contact:ask_callback"), form_data(phone="+32 470 12 34 56"))
    assert SeekerRequest.objects.get(seeker=seeker).phone.as_e164 == "+32470123456"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"phone": "12 34"}, "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."),
        ({"half_days": []}, "Choisissez au moins une demi-journée."),
        ({"half_days": ["2020-01-06:am"]}, "2020-01-06:am"),  # a half-day not offered
        ({"reason": ""}, "Dites en quelques mots pourquoi vous souhaitez un appel."),
    ],
)
def test_bad_input_is_explained_in_french_and_nothing_typed_is_lost(client, seeker, changes, error):
    client.force_login(seeker)
    response = client.post(reverse("contact:ask_callback"), form_data(**changes))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="error-summary"' in text
    assert error in text
    if "reason" not in changes:
        assert "Une question sur mon atelier CV." in text
    assert not SeekerRequest.objects.exists()


@pytest.mark.django_db
def test_a_second_request_updates_the_open_one(client, seeker):
    client.force_login(seeker)
    client.post(reverse("contact:ask_callback"), form_data())
    client.post(reverse("contact:ask_callback"), form_data(phone="07 98 76 54 32", reason="Plutôt le matin."))
    (asked,) = SeekerRequest.objects.filter(seeker=seeker)
    assert (asked.phone.as_national, asked.message) == ("07 98 76 54 32", "Plutôt le matin.")
    page = client.get(reverse("contact:ask_callback")).content.decode()
    assert "Plutôt le matin." in page and "Mettre à jour ma demande" in page


@pytest.mark.django_db
def test_the_dashboard_leads_to_the_callback_form_instead_of_a_free_request(client, seeker):
    client.force_login(seeker)
    page = client.get(reverse("coaching:dashboard")).content.decode()
    assert reverse("contact:ask_callback") in page
    assert 'value="callback"' not in page


def ask(seeker, *, urgent=False, when=None, **changes):
    data = form_data(**changes)
    asked, _created = callbacks.ask(
        seeker, phone=data["phone"], half_days=data["half_days"], reason=data["reason"], urgent=urgent
    )
    if when:
        SeekerRequest.objects.filter(pk=asked.pk).update(created_at=when)
    return asked


@pytest.mark.django_db
def test_the_counsellor_sees_the_calls_to_make_urgent_first_then_oldest(
    client, counsellor, seeker, django_assert_num_queries
):
    now = timezone.now()
    older = SeekerFactory(email="ancien@exemple.test", counsellor=counsellor)
    urgent = SeekerFactory(email="urgent@exemple.test", counsellor=counsellor)
    elsewhere = SeekerFactory(email="ailleurs@exemple.test", counsellor=CounsellorFactory())
    ask(seeker, when=now - datetime.timedelta(hours=1))
    ask(older, when=now - datetime.timedelta(days=2))
    ask(urgent, urgent=True, when=now)
    ask(elsewhere)

    client.force_login(counsellor)
    response = client.get(reverse("contact:callbacks"))
    assert [entry.request.seeker for entry in response.context["entries"]] == [urgent, older, seeker]
    text = response.content.decode()
    assert "06 12 34 56 78" in text and 'href="tel:+33-6-12-34-56-78"' in text
    assert elsewhere.get_full_name() not in text

    # One query, however many seekers wait.
    with django_assert_num_queries(1):
        callbacks.entries(callbacks.waiting(visible_seekers(counsellor)))


@pytest.mark.django_db
def test_a_call_that_reached_the_seeker_closes_the_request_and_counts_as_a_contact(client, counsellor):
    seeker = SeekerFactory(email="renforce@exemple.test", counsellor=counsellor, modality=Modality.RENFORCE)
    type(seeker).objects.filter(pk=seeker.pk).update(date_joined=timezone.now() - datetime.timedelta(days=30))
    asked = ask(seeker)
    client.force_login(counsellor)

    def alerts():
        (row,) = overview.build(visible_seekers(counsellor).filter(user=seeker))
        return row.alerts

    assert alerts() == [overview.Alert.NO_CONTACT, overview.Alert.REQUEST]

    # Not reached: logged as a call without answer, the request stays open.
    response = client.post(reverse("contact:record_call", args=[asked.pk]), {"outcome": "not_reached"})
    assert response.status_code == 302 and response.url == reverse("contact:callbacks")
    asked.refresh_from_db()
    assert (asked.handled_at, asked.calls_without_answer) == (None, 1)
    assert Contact.objects.get(seeker=seeker).outcome == ContactOutcome.NO_ANSWER
    assert alerts() == [overview.Alert.NO_CONTACT, overview.Alert.REQUEST]

    response = client.post(
        reverse("contact:record_call", args=[asked.pk]), {"outcome": "reached", "summary": "Point sur le CV."}
    )
    asked.refresh_from_db()
    assert asked.handled_by == counsellor and asked.handled_at is not None
    reached = Contact.objects.get(seeker=seeker, outcome=ContactOutcome.REACHED)
    assert (reached.channel, reached.counsellor, reached.summary) == ("phone", counsellor, "Point sur le CV.")
    assert alerts() == []
    assert client.get(reverse("contact:callbacks")).context["entries"] == []


@pytest.mark.django_db
def test_a_missing_outcome_is_refused_with_a_message(client, counsellor, seeker):
    asked = ask(seeker)
    client.force_login(counsellor)
    response = client.post(reverse("contact:record_call", args=[asked.pk]), {}, follow=True)
    assert "Indiquez si vous avez joint la personne." in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_the_export_carries_the_number_and_the_half_days(seeker):
    ask(seeker)
    (exported,) = export_user_data(seeker)["coaching"]["requests"]
    assert (exported["kind"], exported["phone"]) == ("callback", "+33612345678")
    assert exported["half_days"] == sorted(form_data()["half_days"])
    json.dumps(exported, cls=DjangoJSONEncoder)
