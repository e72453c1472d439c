"""The demo ateliers: CV and social networks, and the demo seeker's reviewed CV."""

import pytest

from accounts.models import User
from ateliers.cv import export_problem
from ateliers.models import Answer, AtelierPage, Submission, SubmissionStatus
from core.modules import ModuleStatus


@pytest.mark.django_db
def test_seed_demo_builds_both_ateliers_and_a_reviewed_cv(demo):  # seeded twice: idempotent
    ateliers = {page.title: page for page in AtelierPage.objects.live()}
    assert set(ateliers) == {"Atelier CV", "Atelier réseaux sociaux"}
    for atelier in ateliers.values():
        assert 4 <= atelier.steps().count() <= 6
        assert sum(step.exercise_count for step in atelier.steps()) >= 3

    karim = User.objects.get(email="demandeur@tremplin.test")
    submission = Submission.objects.get(seeker=karim)
    assert submission.status == SubmissionStatus.TO_REVISE
    assert submission.reviewer.email == "conseillere@tremplin.test"
    assert submission.feedback and submission.exercise_feedback
    cv = Answer.objects.get(seeker=karim, kind="cv")
    assert export_problem(cv.data) is None
    cv_atelier = ateliers["Atelier CV"]
    assert cv_atelier.progress_for(karim).status == ModuleStatus.REVIEWED
