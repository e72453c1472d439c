"""PostgreSQL timestamps read by psycopg's compiled loader.

Django's PostgreSQL backend reads every `timestamptz` through a loader of its own
(`psycopg_any.BaseTzLoader`: psycopg's answer, its time zone replaced by the
connection's), and that loader derives from psycopg's pure-Python one, since the
compiled one cannot be subclassed (Django ticket #36960). So `psycopg[binary]` does
not speed up the commonest type in our rows: parsing a timestamp costs 2.9 µs instead
of 1.1 µs, and a portfolio of 250 seekers reads some 2,000 of them (bench/portfolio.py).

`register()` connects `use_compiled_loader` to `connection_created`: each new
PostgreSQL connection gets a loader that parses with the one psycopg itself registered
(compiled when psycopg[binary] or psycopg[c] is installed), then replaces the time
zone exactly as Django's does. It has Django's `timezone` attribute, which Django's
cursors compare with the connection's before putting their own loader back (after a
change of TIME_ZONE, say). With no compiled loader, nothing changes.
"""

from functools import cache

import psycopg
from django.db.backends.signals import connection_created
from psycopg.adapt import Loader
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

TIMESTAMPTZ_OID = psycopg.postgres.types["timestamptz"].oid


def compiled_parser():
    """psycopg's own text loader of timestamptz if it is the compiled one, else None."""
    loader = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if loader is None or issubclass(loader, TimestamptzLoader):  # the pure-Python one
        return None
    return loader


@cache
def loader_for(timezone, parser):
    """A timestamptz loader parsing with `parser` (a loader class) and answering in
    `timezone` (None: naive), as Django's BaseTzLoader does. One class per time zone."""

    class CompiledTzLoader(Loader):
        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._parse = parser(oid, context).load

        def load(self, data):
            return self._parse(data).replace(tzinfo=timezone)

    CompiledTzLoader.timezone = timezone
    return CompiledTzLoader


def use_compiled_loader(sender, connection, **kwargs):
    """connection_created receiver: the compiled loader on a new PostgreSQL connection."""
    if connection.vendor != "postgresql":
        return
    parser = compiled_parser()
    if parser is not None:
        loader = loader_for(connection.timezone, parser)
        connection.connection.adapters.register_loader(TIMESTAMPTZ_OID, loader)


def register():
    """Called once, from CoreConfig.ready()."""
    connection_created.connect(use_compiled_loader, dispatch_uid="core.postgres_timestamps")
