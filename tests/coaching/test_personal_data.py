"""The seeker's export includes their follow-up: assignments, contacts, notes, requests."""

import pytest

from coaching import assigning
from coaching.models import Contact, Note, SeekerRequest
from core.privacy import export_user_data


@pytest.mark.django_db
def test_the_export_includes_the_follow_up(seeker, counsellor, mooc, queues):
    assigning.assign(mooc, [seeker], by=counsellor, message="Semaine 1 d'abord")
    Contact.objects.create(seeker=seeker, counsellor=counsellor, channel="visio", summary="Point mensuel")
    Note.objects.create(seeker=seeker, author=counsellor, body="<p>Motivé</p>")
    SeekerRequest.objects.create(seeker=seeker, kind="callback")

    exported = export_user_data(seeker)["coaching"]
    assert exported["assignments"][0]["module__title"] == "Réussir son CV"
    assert exported["contacts"][0]["summary"] == "Point mensuel"
    assert exported["notes"][0]["body"] == "<p>Motivé</p>"
    assert exported["requests"][0]["kind"] == "callback"
