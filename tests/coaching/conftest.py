import pytest

from tests.factories import courses as build


@pytest.fixture
def mooc(home_page):
    """A published one-week MOOC of two lessons (the second with a quiz)."""
    return build.course(build.catalogue(home_page), "Réussir son CV", weeks=1)
