"""An id out of the database's range names nothing: every URL of the project that takes
an id answers 404 for it, never 500 (SQLite raises OverflowError on such a number)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from accounts.models import User
from core.converters import LARGEST_ID, IdConverter

PROJECT_APPS = (
    "accounts",
    "activity",
    "ateliers",
    "coaching",
    "contact",
    "core",
    "courses",
    "interviews",
    "media",
    "tremplin",
)
# Shadows wagtailmedia's own "<int:media_id>" URL: it must take every id that one would,
# so that none slips past its permission check; the view answers 404 past the range.
SHADOWING = {"media_usage"}
PLACEHOLDER = 7654321
HUGE = "9" * 23


def project_url_names_with_ids(resolver=None, namespace=""):
    """(URL name, id argument names) of every named project URL that takes an id."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += project_url_names_with_ids(entry, inner)
            continue
        assert isinstance(entry, URLPattern)
        module = getattr(entry.callback, "__module__", "")
        converters = getattr(entry.pattern, "converters", {})
        ids = [
            name
            for name, converter in converters.items()
            if isinstance(converter, IdConverter | IntConverter)
        ]
        if ids and entry.name and module.split(".")[0] in PROJECT_APPS:
            found.append((namespace + entry.name, ids))
    return found


def test_the_project_names_ids_with_the_bounded_converter():
    """The URLs the project writes itself; the admin's viewsets take Wagtail's, which
    the test below shows answering 404 as well."""
    names = project_url_names_with_ids()
    assert len(names) >= 9  # the seeker page and its actions, the atelier review, …
    for name, ids in names:
        url = reverse(name, kwargs=dict.fromkeys(ids, 1))
        match = get_resolver().resolve(url)
        if hasattr(match.func, "view_class") and url.startswith("/admin/"):
            continue
        pattern = match.route
        if name.rsplit(":", 1)[-1] not in SHADOWING:
            assert "<int:" not in pattern, f"{name} takes an unbounded <int:…>: use <id:…>"


def test_the_converter_refuses_what_no_row_can_have():
    converter = IdConverter()
    assert converter.to_python(str(LARGEST_ID)) == LARGEST_ID
    with pytest.raises(ValueError):
        converter.to_python(str(LARGEST_ID + 1))
    assert not re.fullmatch(converter.regex, HUGE)


def refused_before_reading_the_id(response, url, user):
    """The Wagtail admin sends whoever may not enter it to its log-in page first."""
    return (
        url.startswith("/admin/")
        and not user.has_perm("wagtailadmin.access_admin")
        and response.status_code == 302
        and response.url.startswith("/admin/login/")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["counsellor", "manager", "seeker", "editor", "administrator"])
def test_an_id_out_of_range_is_a_404_for_everyone(client, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    for name, ids in project_url_names_with_ids():
        url = reverse(name, kwargs=dict.fromkeys(ids, PLACEHOLDER)).replace(str(PLACEHOLDER), HUGE)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404 or refused_before_reading_the_id(response, url, user), (
                name,
                url,
            )
        # Just inside the range: still nobody's, still 404 or refused, never a 500.
        url = reverse(name, kwargs=dict.fromkeys(ids, LARGEST_ID))
        response = client.get(url)
        assert response.status_code in (403, 404, 405) or refused_before_reading_the_id(
            response, url, user
        ), (
            name,
            url,
        )


@pytest.fixture
def administrator(db):
    return User.objects.create_superuser("admin@exemple.test", "x")
