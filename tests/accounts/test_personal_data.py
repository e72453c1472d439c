import json

import pytest

from accounts.models import User
from activity.log import record
from activity.models import ActivityEntry
from core import privacy
from tests.exports import exported


@pytest.mark.django_db
def test_a_seeker_downloads_all_their_data_as_a_zip_archive(client, seeker, counsellor):
    seeker.seeker_profile.validate_web(counsellor)
    record(seeker, "account.logged_in")
    client.force_login(seeker)

    response = client.get("/compte/mes-donnees/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="tremplin-mes-donnees.zip"'
    assert "no-cache" in response["Cache-Control"]
    data = exported(response)["data"]
    assert set(data) == {holder.name for holder in privacy.holders()}
    assert data["account"]["email"] == seeker.email
    assert data["account"]["seeker_profile"]["modality"] == "guide"
    assert data["account"]["seeker_profile"]["web_validated_by"] == str(counsellor)
    assert [entry["verb"] for entry in data["activity"]] == ["web.validated", "account.logged_in"]


@pytest.mark.django_db
def test_the_export_holds_only_the_users_own_data(client, seeker, other_seeker):
    record(other_seeker, "account.logged_in")
    client.force_login(seeker)
    data = exported(client.get("/compte/mes-donnees/"))["data"]
    assert data["activity"] == []
    assert other_seeker.email not in json.dumps(data)


@pytest.mark.django_db
def test_a_seeker_deletes_their_account_with_their_password(client, seeker, counsellor, password):
    record(seeker, "account.logged_in")
    record(seeker, "web.validated", actor=counsellor)
    client.force_login(seeker)

    response = client.post("/compte/suppression/", {"password": "pas-le-bon"})
    assert response.status_code == 200
    assert User.objects.filter(pk=seeker.pk).exists()

    response = client.post("/compte/suppression/", {"password": password})
    assert response["Location"] == "/compte/supprime/"
    assert not User.objects.filter(pk=seeker.pk).exists()
    assert not ActivityEntry.objects.filter(seeker_id=seeker.pk).exists()
    assert User.objects.filter(pk=counsellor.pk).exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_deletion_runs_every_registered_eraser(client, seeker, password, monkeypatch):
    erased = []
    monkeypatch.setitem(
        privacy._holders,
        "probe",
        privacy.Holder("probe", export=lambda user: None, erase=lambda user: erased.append(user.pk)),
    )
    client.force_login(seeker)
    client.post("/compte/suppression/", {"password": password})
    assert erased == [seeker.pk]


@pytest.mark.django_db
def test_staff_accounts_cannot_delete_themselves(client, counsellor, password):
    client.force_login(counsellor)
    response = client.post("/compte/suppression/", {"password": password})
    assert response["Location"] == "/compte/"
    assert User.objects.filter(pk=counsellor.pk).exists()
