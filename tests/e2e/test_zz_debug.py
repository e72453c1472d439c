import contextvars
import threading

import greenlet
from django.db import connections


def info(tag):
    c = connections["default"]
    print(
        tag,
        id(c),
        hasattr(c, "_test_serialized_contents"),
        id(contextvars.copy_context().get(connections._connections._storage._data, None)),
        threading.get_ident(),
        greenlet.getcurrent(),
    )


def test_a(live_server, request):
    info("A-before")
    request.getfixturevalue("browser")
    info("A-after")


def test_b(page):
    info("B")
