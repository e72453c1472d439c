"""The interviews' policy (interviews.permissions): what each role reads of a seeker's
attempts, and the check the review page makes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from interviews.models import Attempt
from interviews.permissions import attempt_for_review_or_404, readable_attempts
from tests.factories import CounsellorFactory, EditorFactory, UserFactory
from tests.factories import interviews as build


@pytest.mark.django_db
def test_each_role_reads_only_what_is_theirs(seeker, other_seeker, counsellor, manager, interview):
    sent = build.send(build.started(seeker, interview))
    draft = Attempt.objects.start(seeker, interview)
    build.send(build.started(other_seeker, interview))

    assert set(readable_attempts(seeker)) == {sent, draft}
    assert set(readable_attempts(counsellor)) == {sent}  # not the draft
    for user in (manager, CounsellorFactory(), EditorFactory(), UserFactory(role=Role.ADMIN)):
        assert not readable_attempts(user).exists()


@pytest.mark.django_db
def test_only_the_current_counsellor_opens_a_sent_attempt_for_review(seeker, counsellor, manager, interview):
    sent = build.send(build.started(seeker, interview))
    draft = Attempt.objects.start(seeker, interview)

    assert attempt_for_review_or_404(counsellor, sent.pk) == sent
    for attempt_id in (draft.pk, draft.pk + 1000):
        with pytest.raises(Http404):
            attempt_for_review_or_404(counsellor, attempt_id)
    with pytest.raises(Http404):
        attempt_for_review_or_404(CounsellorFactory(), sent.pk)
    for user in (seeker, manager, EditorFactory()):
        with pytest.raises(PermissionDenied):
            attempt_for_review_or_404(user, sent.pk)
