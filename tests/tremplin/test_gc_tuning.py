"""The garbage collector of a serving process (tremplin/gc_tuning.py): what a page leaves
behind is collected once its response is closed, not in the middle of the next page."""

import json
import os
import subprocess
import sys
import textwrap

from django.conf import settings

# Run in a process of its own: tremplin.wsgi freezes and tunes the collector of the
# process that imports it, which this test process must not get.
PROBE = textwrap.dedent(
    """
    import gc, io, json, sys, weakref

    from tremplin.wsgi import application
    from tremplin import gc_tuning

    class Node:
        pass

    def leave_garbage(count):
        # Reference cycles, as Django's template contexts are: only the collector frees them.
        nodes = [Node() for _ in range(count)]
        for node, following in zip(nodes, nodes[1:] + nodes[:1]):
            node.following = following
        return weakref.ref(nodes[0])

    def request():
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": "/health/", "SERVER_NAME": "localhost",
            "SERVER_PORT": "80", "HTTP_HOST": "localhost", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
        }
        return application(environ, lambda status, headers, exc_info=None: None)

    gc.collect()
    found = {"threshold": gc.get_threshold()[0], "frozen": gc.get_freeze_count()}

    # A page that left much behind: collected when the server closes its response.
    garbage = leave_garbage(3 * gc_tuning.COLLECT_AFTER)
    response = request()
    b"".join(response)
    found["kept_until_close"] = garbage() is not None
    response.close()
    found["collected_at_close"] = garbage() is None

    # A small one (a poll): left for later, with the next ones.
    gc.collect()
    garbage = leave_garbage(10)
    response = request()
    b"".join(response)
    response.close()
    found["small_left_alone"] = garbage() is not None
    print(json.dumps(found))
    """
)


def test_a_page_s_garbage_is_collected_when_its_response_closes(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tremplin.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["threshold"] == 50_000
    assert found["frozen"] > 50_000  # Django, Wagtail and the apps, out of the collector's way
    assert found["kept_until_close"], "collected during the request: the threshold did not hold"
    assert found["collected_at_close"]
    assert found["small_left_alone"]
