"""What each app holds about a person, so export and deletion forget nothing.

Every app that stores personal data has a `personal_data.py` module that calls
`register()`; they are discovered at start-up (CoreConfig.ready). A seeker's export
is the union of every exporter's output; deleting an account runs every eraser
(files in storage, things a database cascade does not reach) before the user row
itself is deleted.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Holder:
    name: str
    export: Callable
    erase: Callable | None = None


_holders: dict[str, Holder] = {}


def register(name, *, export, erase=None):
    """Declare what the app `name` holds: `export(user)` returns JSON-ready data,
    `erase(user)` removes what deleting the user row would leave behind."""
    _holders[name] = Holder(name, export, erase)


def holders():
    return list(_holders.values())


def export_user_data(user):
    return {holder.name: holder.export(user) for holder in _holders.values()}


def delete_user(user):
    """Erase everything each app holds about `user`, then the account itself."""
    with transaction.atomic():
        for holder in _holders.values():
            if holder.erase is not None:
                holder.erase(user)
        user.delete()
