"""The demo mock interviews: the classic questions and the retail interview."""

from io import StringIO

import pytest
from django.core.management import call_command

from interviews.models import MockInterviewPage, QuestionSet, Rubric


@pytest.mark.django_db
def test_seed_demo_builds_two_interviews_sharing_one_grid(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent

    pages = {page.title: page for page in MockInterviewPage.objects.live()}
    classic = pages["Entretien d'embauche : les questions classiques"]
    retail = pages["Entretien : vendeur ou vendeuse en magasin"]
    assert (classic.questions().count(), retail.questions().count()) == (5, 3)
    assert classic.rubric == retail.rubric and classic.rubric.criteria.count() == 5
    assert (QuestionSet.objects.count(), Rubric.objects.count()) == (2, 1)
    assert client.get(classic.url).status_code == 200
