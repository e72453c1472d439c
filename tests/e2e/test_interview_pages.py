"""axe-core on the mock interview pages: the index for a visitor, an interview's page
for a seeker with attempts (one reviewed, one in progress)."""

import re

import pytest
from playwright.sync_api import expect

from interviews.models import Decision
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import SeekerFactory
from tests.factories import interviews as build
from tests.factories.accounts import PASSWORD


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """The takes' recordings go to this test's own folder (as tests/interviews does)."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(root)
    return root


def test_interview_pages_have_no_serious_violation(page, home_page, counsellor):
    interview = build.interview(
        home_page,
        advice=[
            {"type": "heading", "value": {"text": "La posture", "level": "h2"}},
            {
                "type": "callout",
                "value": {"kind": "tip", "title": "Le regard", "text": "<p>Fixez la caméra.</p>"},
            },
        ],
    )
    seeker = SeekerFactory(counsellor=counsellor)
    reviewed = build.send(build.started(seeker, interview, takes=3))
    build.review(reviewed, counsellor, Decision.PRACTISE_AGAIN)
    build.started(seeker, interview, takes=1)

    page.goto(interview.get_parent().url)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_no_serious_axe_violations(page)

    log_in(page, seeker.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/mon-parcours/$"))
    page.goto(interview.url)
    expect(page.get_by_role("heading", name="Mes essais")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("1 question sur 3 enregistrée")
    assert_no_serious_axe_violations(page)
