"""Fixed-window counters in Redis, shared by every web process.

A counter is named by a scope ("email-to", "email-from") and a keyed digest of what it
counts (an e-mail address, a client address): Redis never holds the address itself, and
an account's deletion can still find and drop its counters (core.privacy.digest).
"""

from media import queues

from .privacy import digest

PREFIX = "tremplin:throttle:"


def _redis():
    return queues.get_connection("default")


def _key(scope, value):
    return f"{PREFIX}{scope}:{digest(value)}"


def hit(scope, value, *, limit, window):
    """Count one more event for `value`; False once `limit` events happened in the window.

    The window starts with the first event and lasts `window` seconds (SET NX EX, then
    INCR, in one round trip: concurrent requests are counted exactly).
    """
    key = _key(scope, value)
    with _redis().pipeline() as pipeline:
        pipeline.set(key, 0, ex=window, nx=True)
        pipeline.incr(key)
        _created, count = pipeline.execute()
    return count <= limit


def forget(scope, value):
    _redis().delete(_key(scope, value))


def forget_all():
    """Drop every counter (tests)."""
    redis = _redis()
    for key in redis.scan_iter(match=f"{PREFIX}*", count=500):
        redis.delete(key)
