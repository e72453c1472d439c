"""What each app holds about a person, so export and deletion forget nothing.

Every app that stores personal data has a `personal_data.py` module that calls
`register()`; they are discovered at start-up (CoreConfig.ready). A seeker's export
is the union of every exporter's output, with the files each app lists (`files=`) in
one ZIP archive (core.data_export); deleting an account runs every eraser (files in
storage, library tables, Redis, things a database cascade does not reach) before the
user row itself is deleted.

Nothing can be forgotten: the `core.E001` system check (run by every manage.py command,
the test run included) lists every installed model, ours and the libraries', that points
at a user without being deleted with them, or that holds an e-mail address, an IP
address, a user agent or session data; each must be named by a holder (`models=`) or
declared kept with the reason (`keep()`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models, transaction
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class PersonalFile:
    """A stored file that belongs to a person: `archive_name` is its path in their export
    (folders and a readable name, chosen by the app), `stored_name` its name in `storage`
    (the private storage unless said otherwise)."""

    archive_name: str
    stored_name: str
    storage: object = None


@dataclass(frozen=True)
class Holder:
    name: str
    export: Callable
    erase: Callable | None = None
    model_labels: tuple[str, ...] = field(default=())
    files: Callable | None = None

    @property
    def models(self):
        return [apps.get_model(label) for label in self.model_labels]


_holders: dict[str, Holder] = {}
_kept: dict[str, str] = {}


def register(name, *, export, erase=None, models=(), files=None):
    """Declare what the app `name` holds: `export(user)` returns JSON-ready data,
    `erase(user)` removes what deleting the user row would leave behind, `models` names
    the tables ("app_label.Model") that erase() takes care of, `files(user)` yields the
    PersonalFiles the user's export archive carries."""
    _holders[name] = Holder(name, export, erase, tuple(models), files)


def keep(model_label, reason):
    """Declare that `model_label` keeps what it holds after an account's deletion, and why."""
    _kept[model_label] = reason


def holders():
    return list(_holders.values())


def export_user_data(user):
    return {holder.name: holder.export(user) for holder in _holders.values()}


def user_files(user):
    """Every PersonalFile of `user`, app by app."""
    for holder in _holders.values():
        if holder.files is not None:
            yield from holder.files(user)


def delete_user(user):
    """Erase everything each app holds about `user`, then the account itself."""
    with transaction.atomic():
        for holder in _holders.values():
            if holder.erase is not None:
                holder.erase(user)
        user.delete()


def digest(value):
    """A keyed digest of an address (e-mail or IP), case and spaces ignored.

    Used wherever a key must name a person without holding their address in clear
    (Redis counters): the same address always gives the same digest, and without
    SECRET_KEY nobody can test guesses against it.
    """
    normalised = str(value or "").strip().lower()
    return salted_hmac("tremplin.privacy.digest", normalised).hexdigest()


# ---------------------------------------------------------------------------
# The completeness check
# ---------------------------------------------------------------------------
PERSONAL_FIELD_TYPES = (models.EmailField, models.GenericIPAddressField)
PERSONAL_FIELD_NAMES = {"email", "username", "user_agent", "ip_address", "session_data"}
# Deleting the user row takes care of these links: the row goes, or loses the link.
HANDLED_BY_DELETION = (models.CASCADE, models.SET_NULL)


def _candidate_models():
    return apps.get_models()


def _needs_a_holder(model):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if model is user_model:
        return False
    fields = [f for f in model._meta.get_fields() if f.concrete]
    links = [f for f in fields if f.is_relation and f.related_model is user_model]
    if any(f.remote_field.on_delete is models.CASCADE for f in links):
        return False  # the row goes with the user
    if any(f.remote_field.on_delete not in HANDLED_BY_DELETION for f in links):
        return True
    return any(isinstance(f, PERSONAL_FIELD_TYPES) or f.name in PERSONAL_FIELD_NAMES for f in fields)


def uncovered_models():
    """Models holding personal data that no holder erases and nobody declared kept."""
    covered = {label for holder in _holders.values() for label in holder.model_labels} | set(_kept)
    return [
        model for model in _candidate_models() if model._meta.label not in covered and _needs_a_holder(model)
    ]


@checks.register()
def check_registry(app_configs, **kwargs):
    return [
        checks.Error(
            f"{model._meta.label} holds personal data that deleting an account would leave behind.",
            hint="Name it in a core.privacy.register(..., models=[...]) holder that erases it, "
            "or declare it kept with core.privacy.keep(label, reason).",
            obj=model,
            id="core.E001",
        )
        for model in uncovered_models()
    ]
