"""The demo mock interviews without espeak-ng or ffmpeg (what the seeding builds:
tests/demo/test_interviews.py)."""

import pytest

from accounts import demo as accounts_demo
from core import demo as core_demo
from interviews import demo as interviews_demo
from interviews.models import Attempt, MockInterviewPage


@pytest.mark.django_db
def test_without_espeak_or_ffmpeg_the_attempt_is_left_out_with_a_note(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither program can be found
    printed = []
    core_demo.seed(printed.append)
    accounts_demo.seed(printed.append)
    interviews_demo.seed(printed.append)

    assert (
        "Simulation d'entretien de démonstration non enregistrée : espeak-ng, ffmpeg manquant(s)." in printed
    )
    assert not Attempt.objects.exists()
    assert MockInterviewPage.objects.live().count() == 2
