import pytest

from tests.factories import ateliers as build


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Each test stores private files (uploads, CV PDFs) in its own folder."""
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def atelier(home_page):
    """ "Atelier CV": three steps holding one exercise of each kind (see the factory)."""
    return build.atelier(home_page)


@pytest.fixture
def steps(atelier):
    return build.steps_of(atelier)
