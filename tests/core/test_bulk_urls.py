"""url_maker: one reverse() for many rows, the same URLs as reverse() for each."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.bulk_urls import url_maker


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_urls_are_those_reverse_gives(language):
    with translation.override(language):
        seeker_url = url_maker("coaching:seeker")
        for pk in (1, 42, 9_081_726_354, 2**40):
            assert seeker_url(pk) == reverse("coaching:seeker", args=[pk])
    assert seeker_url(7).startswith("/en/") == (language == "en")


def test_a_function_of_an_id_is_called_once():
    calls = []

    def conversation_url(pk):
        calls.append(pk)
        return reverse("contact:conversation", args=[pk])

    conversation = url_maker(conversation_url)
    assert [conversation(pk) for pk in (3, 41)] == [
        reverse("contact:conversation", args=[pk]) for pk in (3, 41)
    ]
    assert len(calls) == 1


def test_only_whole_numbers_go_in():
    with pytest.raises(ValueError):
        url_maker("coaching:seeker")("7/../../admin")


def test_a_url_without_an_id_is_refused():
    with pytest.raises(NoReverseMatch):
        url_maker("coaching:portfolio")
