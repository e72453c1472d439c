"""Who may do what in Wagtail's admin, on every URL the project and wagtailmedia add there.

The URLs are read from the URL resolver: every admin URL of a viewset or snippet whose
model belongs to the project (captions, MOOC themes and their chooser, the user admin
with its role field), of wagtailmedia, and of the project's own admin views (retry,
the media usage page, the MOOC survey report). A new one without a row fails
`test_the_matrix_covers_every_admin_url_of_the_project`.

The policy: anonymous visitors, seekers, counsellors and managers are sent to the
admin's log-in page (Wagtail lets in only users with its "access admin" permission).
Editors manage the media library and captions, the mock interviews' question sets and
assessment grids (the "Editors" group's, not a collection editor's), and read the MOOC
survey report; MOOC themes (editors only choose them) and people are the administrators'. An editor limited to one
collection ("Agence Nord") sees the library, but an asset of another collection (and
its captions) is refused everywhere: edit, delete, usage, retry, the chooser's
"chosen" step, the captions' pages.

Every refused request must leave the database exactly as it was.
"""

from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse
from wagtail.admin.viewsets import viewsets

from accounts.models import Role, User
from courses.models import CourseTheme
from interviews.models import QuestionSet, Rubric
from media.models import Asset, Caption, ProcessingStatus
from tests.factories import CounsellorFactory, EditorFactory, ManagerFactory, SeekerFactory, UserFactory
from tests.factories.media import collection_media_editor
from tests.media.test_captions import add_caption, make_asset

# --- What is expected -------------------------------------------------------------------

LOGIN = "login"  # 302 to the admin's log-in page, with ?next= back here
OK = 200
DONE = "done"  # 302 (the action took effect)
REFUSED = "refused"  # Wagtail's "permission denied": 302 to the admin's home with a message
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405

ROLES = (
    "anonymous",
    "seeker",
    "counsellor",
    "manager",
    "collection_editor",  # an editor of the "Agence Nord" collection only ("coll. ed." below)
    "editor",
    "admin",
)

# Only administrators (people, MOOC themes).
ADMINS_ONLY = (LOGIN, LOGIN, LOGIN, LOGIN, REFUSED, REFUSED, OK)
# Every editor, whatever their collections (lists, add forms, choosers).
EDITORS = (LOGIN, LOGIN, LOGIN, LOGIN, OK, OK, OK)
# The asset of another collection, or one of its captions: not the collection editor's.
NOT_IN_THEIR_COLLECTION = (LOGIN, LOGIN, LOGIN, LOGIN, REFUSED, OK, OK)
# The "Editors" group's (question sets, assessment grids): not the collection editor's,
# who is in a group of their own.
EDITORS_GROUP = (LOGIN, LOGIN, LOGIN, LOGIN, REFUSED, OK, OK)
# The same, where the generic views look the object up among those the user may see.
NOT_FOUND_IN_THEIR_COLLECTION = (LOGIN, LOGIN, LOGIN, LOGIN, NOT_FOUND, OK, OK)

# fmt: off
MATRIX = {
    # (URL name, method):                                              anonymous   seeker      counsellor  manager     coll. ed.   editor      admin
    # wagtailmedia's library.
    ("wagtailmedia:index", "get"):                                    EDITORS,
    ("wagtailmedia:add", "get"):                                      EDITORS,
    ("wagtailmedia:edit", "get"):                                     NOT_IN_THEIR_COLLECTION,
    ("wagtailmedia:delete", "get"):                                   NOT_IN_THEIR_COLLECTION,
    ("wagtailmedia:delete", "post"):                                  (LOGIN,      LOGIN,      LOGIN,      LOGIN,      REFUSED,    DONE,       DONE),
    ("wagtailmedia:media_usage", "get"):                              NOT_IN_THEIR_COLLECTION,
    ("wagtailmedia:chooser", "get"):                                  EDITORS,
    ("wagtailmedia:chooser_typed", "get"):                            EDITORS,
    ("wagtailmedia:media_chosen", "get"):                             NOT_IN_THEIR_COLLECTION,
    ("wagtailmedia:chooser_upload", "get"):                           EDITORS,
    # The media app's additions: retry, the checked usage page, captions.
    ("media_retry", "post"):                                          (LOGIN,      LOGIN,      LOGIN,      LOGIN,      REFUSED,    DONE,       DONE),
    ("media_retry", "get"):                                           (LOGIN,      LOGIN,      LOGIN,      LOGIN,      NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("media_usage", "get"):                                           NOT_IN_THEIR_COLLECTION,
    ("captions:index", "get"):                                        EDITORS,
    ("captions:index_results", "get"):                                EDITORS,
    ("captions:add", "get"):                                          EDITORS,
    ("captions:edit", "get"):                                         NOT_FOUND_IN_THEIR_COLLECTION,
    ("captions:delete", "get"):                                       NOT_FOUND_IN_THEIR_COLLECTION,
    ("captions:delete", "post"):                                      (LOGIN,      LOGIN,      LOGIN,      LOGIN,      NOT_FOUND,  DONE,       DONE),
    ("captions:history", "get"):                                      NOT_FOUND_IN_THEIR_COLLECTION,
    ("captions:history_results", "get"):                              NOT_FOUND_IN_THEIR_COLLECTION,
    ("captions:usage", "get"):                                        NOT_FOUND_IN_THEIR_COLLECTION,
    # MOOC themes (a snippet): the administrators'; editors choose them in pages.
    ("wagtailsnippets_courses_coursetheme:list", "get"):              ADMINS_ONLY,
    ("wagtailsnippets_courses_coursetheme:list_results", "get"):      ADMINS_ONLY,
    ("wagtailsnippets_courses_coursetheme:add", "get"):               ADMINS_ONLY,
    ("wagtailsnippets_courses_coursetheme:edit", "get"):              ADMINS_ONLY,
    ("wagtailsnippets_courses_coursetheme:delete", "get"):            ADMINS_ONLY,
    ("wagtailsnippets_courses_coursetheme:delete", "post"):           (LOGIN,      LOGIN,      LOGIN,      LOGIN,      REFUSED,    REFUSED,    DONE),
    ("wagtailsnippets_courses_coursetheme:usage", "get"):             ADMINS_ONLY,
    ("wagtailsnippets_courses_coursetheme:history", "get"):           ADMINS_ONLY,
    ("wagtailsnippets_courses_coursetheme:history_results", "get"):   ADMINS_ONLY,
    ("wagtailsnippets_courses_coursetheme:copy", "get"):              ADMINS_ONLY,
    ("wagtailsnippetchoosers_courses_coursetheme:choose", "get"):     EDITORS,
    ("wagtailsnippetchoosers_courses_coursetheme:choose_results", "get"):EDITORS,
    ("wagtailsnippetchoosers_courses_coursetheme:chosen", "get"):     EDITORS,
    ("wagtailsnippetchoosers_courses_coursetheme:chosen_multiple", "get"):EDITORS,
    ("wagtailsnippetchoosers_courses_coursetheme:create", "get"):     ADMINS_ONLY,
    # Mock interviews' question sets (a snippet): the "Editors" group's.
    ("wagtailsnippets_interviews_questionset:list", "get"):           EDITORS_GROUP,
    ("wagtailsnippets_interviews_questionset:list_results", "get"):   EDITORS_GROUP,
    ("wagtailsnippets_interviews_questionset:add", "get"):            EDITORS_GROUP,
    ("wagtailsnippets_interviews_questionset:edit", "get"):           EDITORS_GROUP,
    ("wagtailsnippets_interviews_questionset:delete", "get"):         EDITORS_GROUP,
    ("wagtailsnippets_interviews_questionset:delete", "post"):        (LOGIN,      LOGIN,      LOGIN,      LOGIN,      REFUSED,    DONE,       DONE),
    ("wagtailsnippets_interviews_questionset:usage", "get"):          EDITORS_GROUP,
    ("wagtailsnippets_interviews_questionset:history", "get"):        EDITORS_GROUP,
    ("wagtailsnippets_interviews_questionset:history_results", "get"):EDITORS_GROUP,
    ("wagtailsnippets_interviews_questionset:copy", "get"):           EDITORS_GROUP,
    ("wagtailsnippetchoosers_interviews_questionset:choose", "get"):  EDITORS,
    ("wagtailsnippetchoosers_interviews_questionset:choose_results", "get"):EDITORS,
    ("wagtailsnippetchoosers_interviews_questionset:chosen", "get"):  EDITORS,
    ("wagtailsnippetchoosers_interviews_questionset:chosen_multiple", "get"):EDITORS,
    ("wagtailsnippetchoosers_interviews_questionset:create", "get"):  EDITORS_GROUP,
    # Mock interviews' assessment grids (a snippet): the "Editors" group's.
    ("wagtailsnippets_interviews_rubric:list", "get"):                EDITORS_GROUP,
    ("wagtailsnippets_interviews_rubric:list_results", "get"):        EDITORS_GROUP,
    ("wagtailsnippets_interviews_rubric:add", "get"):                 EDITORS_GROUP,
    ("wagtailsnippets_interviews_rubric:edit", "get"):                EDITORS_GROUP,
    ("wagtailsnippets_interviews_rubric:delete", "get"):              EDITORS_GROUP,
    ("wagtailsnippets_interviews_rubric:delete", "post"):             (LOGIN,      LOGIN,      LOGIN,      LOGIN,      REFUSED,    DONE,       DONE),
    ("wagtailsnippets_interviews_rubric:usage", "get"):               EDITORS_GROUP,
    ("wagtailsnippets_interviews_rubric:history", "get"):             EDITORS_GROUP,
    ("wagtailsnippets_interviews_rubric:history_results", "get"):     EDITORS_GROUP,
    ("wagtailsnippets_interviews_rubric:copy", "get"):                EDITORS_GROUP,
    ("wagtailsnippetchoosers_interviews_rubric:choose", "get"):       EDITORS,
    ("wagtailsnippetchoosers_interviews_rubric:choose_results", "get"):EDITORS,
    ("wagtailsnippetchoosers_interviews_rubric:chosen", "get"):       EDITORS,
    ("wagtailsnippetchoosers_interviews_rubric:chosen_multiple", "get"):EDITORS,
    ("wagtailsnippetchoosers_interviews_rubric:create", "get"):       EDITORS_GROUP,
    # People: the user admin (with the role field), for administrators.
    ("wagtailusers_users:index", "get"):                              ADMINS_ONLY,
    ("wagtailusers_users:index_results", "get"):                      ADMINS_ONLY,
    ("wagtailusers_users:add", "get"):                                ADMINS_ONLY,
    ("wagtailusers_users:edit", "get"):                               ADMINS_ONLY,
    ("wagtailusers_users:delete", "get"):                             ADMINS_ONLY,
    ("wagtailusers_users:delete", "post"):                            (LOGIN,      LOGIN,      LOGIN,      LOGIN,      REFUSED,    REFUSED,    DONE),
    ("wagtailusers_users:history", "get"):                            ADMINS_ONLY,
    ("wagtailusers_users:history_results", "get"):                    ADMINS_ONLY,
    ("wagtailusers_users:usage", "get"):                              ADMINS_ONLY,
    ("wagtailusers_users:copy", "get"):                               ADMINS_ONLY,
    # The MOOC survey report: editors and administrators (managers may read it too, by
    # courses.admin_views.can_read_surveys, but the admin does not let them in).
    ("courses_survey_report", "get"):                                 EDITORS,
}
# fmt: on

assert all(len(row) == len(ROLES) for row in MATRIX.values())

CASES = [
    pytest.param(role, name, method, expected, id=f"{role}-{method.upper()}-{name}")
    for (name, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


# --- The admin URLs of the project -------------------------------------------------------


def _leaves(patterns, route="", namespace=None):
    """(route, qualified name, view module) of every URL under `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _leaves(pattern.url_patterns, route + str(pattern.pattern), inner)
        else:
            view = getattr(pattern.callback, "view_class", pattern.callback)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route + str(pattern.pattern), name, view.__module__


def project_packages():
    """The project's apps (not those installed in the virtualenv), and wagtailmedia."""
    packages = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if "site-packages" not in Path(config.path).parts
    }
    return packages | {"wagtailmedia"}


def _app_label(viewset):
    model = getattr(viewset, "model", None)
    if isinstance(model, str):  # "app_label.ModelName"
        return model.partition(".")[0]
    return model._meta.app_label if model is not None else None


def project_admin_url_names():
    """The names of the admin URLs of the project's viewsets and snippets (their model is
    the project's), of wagtailmedia, and of the project's own admin views."""
    packages = project_packages()
    url_patterns = get_resolver().url_patterns  # loading them registers the viewsets
    namespaces = {"wagtailmedia"} | {
        viewset.url_namespace
        for viewset in viewsets.viewsets
        if _app_label(viewset) in packages or type(viewset).__module__.split(".")[0] in packages
    }
    names = set()
    for route, name, module in _leaves(url_patterns):
        if not route.startswith("admin/"):
            continue
        namespace = name.rpartition(":")[0] if name else ""
        if namespace in namespaces or module.split(".")[0] in packages:
            assert name, f"admin/{route}: a URL of the project without a name"
            names.add(name)
    return names


def test_the_matrix_covers_every_admin_url_of_the_project():
    assert {name for name, _method in MATRIX} == project_admin_url_names()


def test_wagtailmedias_usage_url_leads_to_the_checked_view():
    """wagtailmedia's own links (reverse of its URL name) reach the media app's view."""
    from media.views import usage

    view = resolve(reverse("wagtailmedia:media_usage", args=[1])).func  # wrapped by the admin
    assert (view.__module__, view.__name__) == (usage.__module__, usage.__name__)


# --- The world --------------------------------------------------------------------------


def build_world():
    """The people and objects of the matrix (see the module's docstring)."""
    collection_editor = collection_media_editor()
    # In the root collection: not in "Agence Nord".
    asset = make_asset("Vidéo du siège", status=ProcessingStatus.FAILED)
    return SimpleNamespace(
        seeker=SeekerFactory(email="demandeur@exemple.test"),
        counsellor=CounsellorFactory(email="conseillere@exemple.test"),
        manager=ManagerFactory(email="responsable@exemple.test"),
        collection_editor=collection_editor,
        editor=EditorFactory(email="editrice@exemple.test"),
        admin=UserFactory(email="admin@exemple.test", role=Role.ADMIN),
        asset=asset,
        caption=add_caption(asset, "fr"),
        theme=CourseTheme.objects.create(name="Candidature", slug="candidature"),
        question_set=QuestionSet.objects.create(title="Questions classiques"),
        rubric=Rubric.objects.create(title="Grille d'entretien"),
        person=SeekerFactory(email="quelqu-un@exemple.test"),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, inside a transaction rolled back at its end (each test
    runs in a savepoint of it)."""
    from django.test import override_settings

    with (
        override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("uploads"))),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def user_of(world, role):
    return None if role == "anonymous" else getattr(world, role)


# The object each namespace's URLs name.
TARGETS = {
    "wagtailmedia": lambda world: world.asset,
    "media_retry": lambda world: world.asset,
    "media_usage": lambda world: world.asset,
    "captions": lambda world: world.caption,
    "wagtailsnippets_courses_coursetheme": lambda world: world.theme,
    "wagtailsnippetchoosers_courses_coursetheme": lambda world: world.theme,
    "wagtailsnippets_interviews_questionset": lambda world: world.question_set,
    "wagtailsnippetchoosers_interviews_questionset": lambda world: world.question_set,
    "wagtailsnippets_interviews_rubric": lambda world: world.rubric,
    "wagtailsnippetchoosers_interviews_rubric": lambda world: world.rubric,
    "wagtailusers_users": lambda world: world.person,
    "courses_survey_report": lambda world: None,
}


def address_of(world, name):
    """The URL `name` on the world's objects (whatever its arguments are called)."""
    target = TARGETS[name.split(":")[0]](world)
    pk = target.pk if target is not None else None
    for kwargs in ({}, {"media_type": "video"}, {"pk": pk}, {"media_id": pk}, {"asset_id": pk}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: arguments unknown to the matrix")


def snapshot():
    """Everything these URLs could change."""
    return {
        "assets": list(Asset.objects.order_by("pk").values_list("pk", "title", "status", "collection_id")),
        "captions": list(Caption.objects.order_by("pk").values_list("pk", "asset_id", "language", "file")),
        "themes": list(CourseTheme.objects.order_by("pk").values_list("pk", "name", "slug")),
        "question_sets": list(QuestionSet.objects.order_by("pk").values_list("pk", "title", "job_family")),
        "rubrics": list(Rubric.objects.order_by("pk").values_list("pk", "title")),
        "users": list(User.objects.order_by("pk").values_list("pk", "email", "role", "is_active")),
    }


def effect(world, name):
    """What a successful POST to `name` changes."""
    if name == "wagtailmedia:delete":
        return Asset.objects.filter(pk=world.asset.pk).exists()
    if name == "media_retry":
        return Asset.objects.get(pk=world.asset.pk).status
    if name == "captions:delete":
        return Caption.objects.filter(pk=world.caption.pk).exists()
    if name == "wagtailsnippets_courses_coursetheme:delete":
        return CourseTheme.objects.filter(pk=world.theme.pk).exists()
    if name == "wagtailsnippets_interviews_questionset:delete":
        return QuestionSet.objects.filter(pk=world.question_set.pk).exists()
    if name == "wagtailsnippets_interviews_rubric:delete":
        return Rubric.objects.filter(pk=world.rubric.pk).exists()
    if name == "wagtailusers_users:delete":
        return User.objects.filter(pk=world.person.pk).exists()
    raise AssertionError(f"no effect known for {name}")


# --- The matrix -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "method", "expected"), CASES)
def test_admin_permission_matrix(
    client, world, role, name, method, expected, django_capture_on_commit_callbacks
):
    user = user_of(world, role)
    if user is not None:
        client.force_login(user)
    address = address_of(world, name)
    before = snapshot()
    effect_before = effect(world, name) if expected == DONE else None

    with django_capture_on_commit_callbacks():
        response = client.post(address) if method == "post" else client.get(address)

    shown = f"{role} {method.upper()} {address} → {response.status_code} {response.get('Location', '')}"
    if expected == LOGIN:
        assert response.status_code == 302, shown
        assert response.url == f"/admin/login/?next={quote(address)}", shown
    elif expected == REFUSED:
        assert response.status_code == 302 and response.url == "/admin/", shown
    elif expected == DONE:
        assert response.status_code == 302, shown
        assert effect(world, name) != effect_before, f"{shown}: nothing happened"
        return
    else:
        assert response.status_code == expected, shown
    assert snapshot() == before, f"{shown}: the database changed"
