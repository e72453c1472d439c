"""`__in_ids`: the rows `__in` finds, with the ids sent as one array on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import SeekerProfile, User
from tests.factories import SeekerFactory


@pytest.mark.django_db
def test_it_finds_what_in_finds_with_one_parameter(counsellor):
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(4)]
    SeekerFactory()  # someone else's
    ids = [seeker.pk for seeker in seekers[:3]] + [None, 10**9]

    with CaptureQueriesContext(connection) as captured:
        found = set(SeekerProfile.objects.filter(user_id__in_ids=ids).values_list("user_id", flat=True))
    assert found == set(SeekerProfile.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    assert found == {seeker.pk for seeker in seekers[:3]}
    # A foreign key and a plain column alike.
    assert set(User.objects.filter(pk__in_ids={seekers[3].pk}).values_list("pk", flat=True)) == {
        seekers[3].pk
    }
    if connection.vendor == "postgresql":
        assert "= ANY(" in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_nothing_in_it_finds_nothing_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(SeekerProfile.objects.filter(user_id__in_ids=[])) == []


@pytest.mark.django_db
def test_a_subquery_goes_through_in(counsellor):
    seeker = SeekerFactory(counsellor=counsellor)
    followed = SeekerProfile.objects.filter(counsellor=counsellor).values("user_id")
    assert list(User.objects.filter(pk__in_ids=followed).values_list("pk", flat=True)) == [seeker.pk]


@pytest.mark.django_db
def test_ids_given_as_text_are_read_as_numbers_and_other_columns_keep_their_values(counsellor):
    seekers = [SeekerFactory(counsellor=counsellor) for _ in range(2)]
    assert list(User.objects.filter(pk__in_ids=[str(seekers[0].pk)]).values_list("pk", flat=True)) == [
        seekers[0].pk
    ]
    # Not integers: each value as the field prepares it, in one array on PostgreSQL.
    emails = [seekers[1].email, "nobody@example.test"]
    assert list(User.objects.filter(email__in_ids=emails).values_list("pk", flat=True)) == [seekers[1].pk]
