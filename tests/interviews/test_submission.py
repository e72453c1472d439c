"""After recording, the seeker's side: the self-assessment, one take chosen per
question, "send to my counsellor" (every question needs a chosen, ready take; clear
French errors; nothing typed is lost), deleting takes, attempting again, and the
history with the measures' trend."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from activity.models import ActivityEntry
from core.models import OutgoingEmail
from interviews import submissions
from interviews.models import Attempt, Take
from media.models import ProcessingStatus
from tests.factories import interviews as build
from tests.factories.interview_reviews import processed, recorded, sent_with_takes


def send_url(attempt):
    return reverse("interviews:send", args=[attempt.pk])


def criteria_of(interview):
    return list(interview.rubric.criteria.order_by("sort_order"))


def complete_form(attempt, *, levels=(3, 2, 4), notes="J'ai parlé trop vite.", action="send"):
    """Every criterion assessed, the last take of each question chosen."""
    data = {"notes": notes, "action": action}
    for criterion, level in zip(criteria_of(attempt.interview), levels, strict=True):
        data[f"criterion_{criterion.pk}"] = level
    for take in attempt.takes.order_by("position", "number"):
        data[f"question_{take.position}"] = take.pk
    return data


@pytest.mark.django_db
def test_the_page_shows_each_take_with_its_video_and_measures(client, seeker, interview):
    attempt = recorded(seeker, interview, takes_per_question=2, speaking=52, long_pauses=(3.0,))
    client.force_login(seeker)

    response = client.get(send_url(attempt))

    assert response.status_code == 200
    html = response.content.decode()
    take = attempt.takes.order_by("position", "number").first()
    assert f'src="/fichiers/{take.rendition.name}" type="video/mp4"' in html
    assert "Vous avez parlé 52\xa0s sur les 2\xa0min prévues." in html
    assert "1 silence de plus de 2\xa0secondes (3\xa0s)." in html
    assert html.count('type="radio" name="question_1"') == 2
    for criterion in criteria_of(interview):
        assert f'name="criterion_{criterion.pk}"' in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_sending_chooses_one_take_per_question_and_fills_the_queue(client, seeker, counsellor, interview):
    attempt = recorded(seeker, interview, takes_per_question=2)
    client.force_login(seeker)

    response = client.post(send_url(attempt), complete_form(attempt))

    assert response.status_code == 302
    assert response.url == attempt.seeker_url()
    attempt.refresh_from_db()
    assert attempt.is_sent
    assert attempt.notes == "J'ai parlé trop vite."
    assert attempt.self_assessment == {
        str(c.pk): level for c, level in zip(criteria_of(interview), (3, 2, 4), strict=True)
    }
    chosen = attempt.takes.filter(chosen=True)
    assert sorted(chosen.values_list("position", "number")) == [(1, 2), (2, 2), (3, 2)]
    entry = ActivityEntry.objects.get(seeker=seeker, verb="interview.submitted")
    assert entry.target_id == str(interview.pk) and entry.data == {"attempt": 1, "answers": 3}
    assert not OutgoingEmail.objects.exists()  # the review queue says it, no e-mail

    client.force_login(counsellor)
    queue = client.get(reverse("coaching:review_queue")).content.decode()
    assert attempt.review_url() in queue
    # The other takes stay private: the counsellor reads only the chosen ones.
    other = attempt.takes.filter(chosen=False).first()
    assert client.get(other.rendition.url).status_code == 404


@pytest.mark.django_db
def test_what_is_missing_is_said_in_french_and_nothing_typed_is_lost(client, seeker, interview):
    attempt = Attempt.objects.start(seeker, interview)
    first, second, _third = interview.questions()
    processed(build.record(attempt, first))
    build.record(attempt, second)  # still being prepared
    criteria = criteria_of(interview)
    client.force_login(seeker)
    data = {
        "action": "send",
        "notes": "Mes notes <b>à garder</b>",
        f"criterion_{criteria[0].pk}": "2",
        "question_2": attempt.takes.get(position=2).pk,
    }

    response = client.post(send_url(attempt), data)

    assert response.status_code == 200
    html = response.content.decode()
    for message in (
        "Choisissez la réponse que vous envoyez pour la question 1.",
        "La réponse choisie pour la question 2 est encore en préparation : patientez un instant, puis envoyez.",
        "Enregistrez une réponse à la question 3 avant d’envoyer.",
        f"Choisissez votre niveau pour « {criteria[1].name} ».",
        f"Choisissez votre niveau pour « {criteria[2].name} ».",
    ):
        assert message in html.replace("&#x27;", "'")
    assert f"Choisissez votre niveau pour « {criteria[0].name} »." not in html
    # What was typed and chosen comes back.
    assert "Mes notes &lt;b&gt;à garder&lt;/b&gt;</textarea>" in html
    assert 'value="2" checked' in html
    assert f'value="{data["question_2"]}" checked' in html
    attempt.refresh_from_db()
    assert not attempt.is_sent and attempt.notes == "" and not attempt.takes.filter(chosen=True).exists()


@pytest.mark.django_db
def test_a_take_that_failed_cannot_be_sent(seeker, interview):
    attempt = recorded(seeker, interview)
    failed = attempt.takes.get(position=1)
    Take.objects.filter(pk=failed.pk).update(status=ProcessingStatus.FAILED)
    criteria = criteria_of(interview)

    with pytest.raises(submissions.NotSent) as refused:
        submissions.submit(
            attempt,
            self_assessment={str(c.pk): 3 for c in criteria},
            notes="",
            chosen={take.position: take.pk for take in attempt.takes.all()},
        )

    assert refused.value.problems == {
        "question_1": "La réponse choisie pour la question 1 ne peut pas être lue : "
        "choisissez-en une autre ou enregistrez-la à nouveau."
    }
    assert not Attempt.objects.get(pk=attempt.pk).is_sent


@pytest.mark.django_db
def test_saving_without_sending_keeps_the_levels_notes_and_choices(client, seeker, interview):
    attempt = recorded(seeker, interview, takes_per_question=2)
    client.force_login(seeker)

    response = client.post(send_url(attempt), complete_form(attempt, action="save", notes="Brouillon"))

    assert response.status_code == 302 and response.url == send_url(attempt)
    attempt.refresh_from_db()
    assert not attempt.is_sent
    assert attempt.notes == "Brouillon" and len(attempt.self_assessment) == 3
    assert attempt.takes.filter(chosen=True).count() == 3
    page = client.get(send_url(attempt)).content.decode()
    assert "Brouillon</textarea>" in page


@pytest.mark.django_db
def test_deleting_a_take_from_the_form_keeps_what_was_typed_and_removes_its_files(
    client, seeker, interview, private_root, django_capture_on_commit_callbacks
):
    attempt = recorded(seeker, interview, takes_per_question=2)
    doomed = attempt.takes.get(position=1, number=1)
    names = doomed.stored_names()
    assert all((private_root / name).exists() for name in names)
    client.force_login(seeker)
    data = complete_form(attempt, notes="Gardé") | {"delete": doomed.pk}
    data.pop("action")
    data["question_1"] = attempt.takes.get(position=1, number=2).pk

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_url(attempt), data)

    assert response.status_code == 302 and response.url == f"{send_url(attempt)}#question-1"
    assert not Take.objects.filter(pk=doomed.pk).exists()
    assert not any((private_root / name).exists() for name in names)
    attempt.refresh_from_db()
    assert attempt.notes == "Gardé" and not attempt.is_sent
    assert ActivityEntry.objects.get(verb="interview.take_deleted").data == {
        "attempt": 1,
        "question": 1,
        "take": 1,
    }


@pytest.mark.django_db
def test_after_sending_other_takes_may_go_the_sent_ones_stay(client, seeker, interview):
    attempt = sent_with_takes(seeker, interview, takes_per_question=2)
    chosen = attempt.takes.get(position=1, chosen=True)
    other = attempt.takes.get(position=1, chosen=False)
    client.force_login(seeker)

    back = {"next": attempt.seeker_url()}
    response = client.post(reverse("interviews:take_delete", args=[chosen.pk]), back)
    assert response.status_code == 302 and response.url == attempt.seeker_url()
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Cette réponse a été envoyée à votre conseillère ou conseiller : elle reste avec l’essai."
    ]
    assert Take.objects.filter(pk=chosen.pk).exists()

    response = client.post(reverse("interviews:take_delete", args=[other.pk]), back)
    assert response.status_code == 302 and response.url == attempt.seeker_url()
    assert [m.message for m in get_messages(response.wsgi_request)][-1] == (
        "La prise 2 de la question 1 a été supprimée."
    )
    assert not Take.objects.filter(pk=other.pk).exists()

    # The script asks for JSON: the same refusal, said in JSON.
    response = client.post(
        reverse("interviews:take_delete", args=[chosen.pk]), headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 409 and "reste avec l’essai" in response.json()["error"]
    assert Take.objects.filter(pk=chosen.pk).exists()


@pytest.mark.django_db
def test_a_sent_attempt_is_not_sent_again_and_a_new_attempt_starts(client, seeker, interview):
    attempt = sent_with_takes(seeker, interview)
    sent_at = Attempt.objects.get(pk=attempt.pk).submitted_at
    client.force_login(seeker)

    response = client.post(send_url(attempt), complete_form(attempt, notes="Encore"))

    assert response.status_code == 302 and response.url == attempt.seeker_url()
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.notes) == (sent_at, "")
    again = Attempt.objects.start(seeker, interview)
    assert again.number == 2 and not again.is_sent


@pytest.mark.django_db
def test_the_history_shows_every_attempt_and_the_measures_trend(client, seeker, counsellor, interview):
    first = sent_with_takes(seeker, interview, speaking=40, leading=4.0, long_pauses=(3.0, 5.0))
    build.review(first, counsellor, "practise")
    recorded(seeker, interview, speaking=70, leading=1.0, long_pauses=(2.5,))
    client.force_login(seeker)

    response = client.get(reverse("interviews:history", args=[interview.pk]))

    assert response.status_code == 200
    rows = [
        (row.attempt.number, row.measured, row.speaking_time, row.long_pauses_per_answer)
        for row in response.context["trend"]
    ]
    assert rows == [(1, 3, 120.0, 2.0), (2, 3, 210.0, 1.0)]
    html = response.content.decode()
    assert "<caption>Mesures par essai, du plus ancien au plus récent</caption>" in html
    assert "<td>2\xa0min</td>" in html and "<td>3\xa0min\xa030</td>" in html  # speaking time, in all
    assert "<td>4\xa0s</td>" in html and "<td>1\xa0s</td>" in html  # before the first word
    assert "Votre conseillère ou conseiller vous conseille de vous entraîner encore" in html
    assert reverse("interviews:attempt", args=[first.pk]) in html


@pytest.mark.django_db
def test_a_take_of_another_attempt_cannot_be_chosen(client, seeker, other_seeker, interview):
    attempt = recorded(seeker, interview)
    theirs = recorded(other_seeker, interview).takes.get(position=1)
    client.force_login(seeker)
    data = complete_form(attempt) | {"question_1": theirs.pk}

    response = client.post(send_url(attempt), data)

    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in response.content.decode()
    attempt.refresh_from_db()
    assert not attempt.is_sent and not Take.objects.filter(chosen=True).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sendings_racing_send_once(seeker, interview, private_root):
    attempt = recorded(seeker, interview)
    levels = {str(c.pk): 3 for c in criteria_of(interview)}
    chosen = {take.position: take.pk for take in attempt.takes.all()}
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait()
            submissions.submit(attempt, self_assessment=levels, notes="", chosen=chosen)
            outcomes.append("sent")
        except ValueError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "sent"]
    assert ActivityEntry.objects.filter(verb="interview.submitted").count() == 1


def test_measures_that_cannot_be_read_say_nothing():
    assert submissions.delivery_measures({}) is None
    assert submissions.delivery_measures({"speaking_time": "beaucoup"}) is None
    assert (
        submissions.delivery_measures({"duration": 3, "silences": [[0, 1]], "pauses": []}).silences[0].end
        == 1.0
    )


@pytest.mark.django_db
def test_the_seeker_deletes_a_whole_attempt_its_files_and_review(
    client, seeker, counsellor, interview, private_root, django_capture_on_commit_callbacks
):
    attempt = sent_with_takes(seeker, interview, takes_per_question=2)
    review = build.review(attempt, counsellor)
    names = [name for take in attempt.takes.all() for name in take.stored_names()]
    assert len(names) == 6 * 3 and all((private_root / name).exists() for name in names)
    address = reverse("interviews:delete_attempt", args=[attempt.pk])
    client.force_login(seeker)

    kept = client.post(address, {})  # the box not ticked
    assert kept.status_code == 302 and kept.url == attempt.seeker_url()
    assert Attempt.objects.filter(pk=attempt.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, {"confirm": "yes"})

    assert response.status_code == 302
    assert response.url == reverse("interviews:history", args=[interview.pk])
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert not Take.objects.exists() and not type(review).objects.exists()
    assert not any((private_root / name).exists() for name in names)
    entry = ActivityEntry.objects.get(verb="interview.attempt_deleted")
    assert entry.seeker == seeker and entry.data == {"attempt": 1}
