import pytest

from tests.factories import courses as build


@pytest.fixture
def catalogue(home_page):
    return build.catalogue(home_page)


@pytest.fixture
def course(catalogue):
    """Four weeks of two lessons, the second of each week with a quiz."""
    return build.course(catalogue)
