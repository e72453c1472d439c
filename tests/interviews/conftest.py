import pytest

from tests.factories import interviews as build

# Generated media for the recordings' tests: the pipeline's session fixtures.
from tests.media.conftest import answer_with_pauses, browser_webm, phrases, samples, secret_clip  # noqa: F401


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Each test stores private files (recordings) in its own folder."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def interview(home_page):
    """ "Entretien d'embauche": three questions, a three-criterion grid."""
    return build.interview(home_page)
