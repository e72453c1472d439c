"""Who owns an e-atelier file: the stored references (an answer, a CV version, a file
frozen by a submission), never a text search through the submissions.

A file replaced in an answer stays readable through the submission that froze it; a
seeker who writes its name in their own answers gains nothing.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile

from ateliers import submissions
from ateliers.models import Answer, SubmissionStatus, SubmittedFile
from tests.factories import CounsellorFactory
from tests.factories import ateliers as build

PDF = b"%PDF-1.4\n% a tiny document\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def send_file(client, atelier, name, content):
    step, block_id = build.locate(atelier, "file")
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(build.save_url(step, block_id), {"file": upload})


def write_text(client, atelier, text):
    step, block_id = build.locate(atelier, "free_text")
    return client.post(build.save_url(step, block_id), {"text": text})


def send_for_review(client, atelier):
    return client.post(atelier.url + atelier.reverse_subpage("submit"), {"scope": "whole"})


@pytest.fixture
def replaced_file(client, seeker, counsellor, atelier, django_capture_on_commit_callbacks):
    """The name of a file the seeker sent, froze in submission n° 1 (sent back "to
    revise"), then replaced: no answer refers to it any more, only the submission."""
    client.force_login(seeker)
    assert send_file(client, atelier, "v1.pdf", PDF).status_code == 302
    first = Answer.objects.get(seeker=seeker).file.name
    assert send_for_review(client, atelier).status_code == 302
    submission = seeker.submissions.get()
    submissions.review(submission, counsellor, decision=SubmissionStatus.TO_REVISE, feedback="Précisez.")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_file(client, atelier, "v2.png", PNG).status_code == 302
    assert Answer.objects.get(seeker=seeker).file.name != first
    client.logout()
    return first


@pytest.mark.django_db
def test_a_file_frozen_by_a_submission_stays_readable_by_its_seeker_and_counsellor(
    client, seeker, counsellor, replaced_file
):
    url = Answer.file.field.storage.url(replaced_file)
    for reader in (seeker, counsellor):
        client.force_login(reader)
        assert client.get(url).status_code == 200, reader.role


@pytest.mark.django_db
def test_writing_a_files_name_in_ones_own_submission_does_not_make_it_ones_own(
    client, other_seeker, atelier, replaced_file
):
    """The attack: another seeker writes the name of the file (seen in a URL, say) in a
    free-text answer and sends it, twice so that their submission is the most recent
    one mentioning it. They must still get the same 404 as for any file not theirs."""
    url = Answer.file.field.storage.url(replaced_file)
    client.force_login(other_seeker)
    assert client.get(url).status_code == 404
    assert write_text(client, atelier, f"Voir {replaced_file}").status_code == 302
    assert send_for_review(client, atelier).status_code == 302
    first = other_seeker.submissions.get()
    submissions.review(first, CounsellorFactory(), decision=SubmissionStatus.TO_REVISE, feedback="Encore.")
    assert write_text(client, atelier, f"Encore {replaced_file}").status_code == 302
    assert send_for_review(client, atelier).status_code == 302
    assert other_seeker.submissions.count() == 2
    assert (
        replaced_file
        in other_seeker.submissions.first().snapshot[build.locate(atelier, "free_text")[1]]["text"]
    )

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_file_request_looks_its_owner_up_in_one_query(
    client, seeker, counsellor, replaced_file, django_assert_num_queries
):
    """The session, the user, then one query for the owner (answers, CV versions and
    frozen files at once); a counsellor adds one for their portfolio."""
    url = Answer.file.field.storage.url(replaced_file)
    client.force_login(seeker)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    client.force_login(counsellor)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_migration_records_the_files_of_earlier_submissions(seeker, replaced_file):
    """Submissions made before SubmittedFile existed get their rows from their snapshot."""
    fill = importlib.import_module("ateliers.migrations.0003_fill_submitted_files").fill
    SubmittedFile.objects.all().delete()
    fill(django_apps, None)
    assert list(SubmittedFile.objects.values_list("name", "seeker_id")) == [(replaced_file, seeker.pk)]
    fill(django_apps, None)  # run twice: nothing recorded twice
    assert SubmittedFile.objects.count() == 1
