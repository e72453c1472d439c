"""What the "anything new?" requests read instead of the database: a version of each
conversation and who follows its seeker, in the cache.

A conversation page polls every ten seconds; almost every answer is "nothing new"
(304). Reading the conversation's row for that costs as much as the rest of the
request, so the answer comes from two cache entries instead:

* the conversation's *version*, a random token replaced after every commit that
  changes what a page shows (a message, a read mark). The ETag is made from it;
* the seeker's *follower*, the counsellor id, replaced after every save of the
  seeker's profile: the counsellor's poll is refused without a query once the
  seeker has moved to someone else's portfolio.

Why this cannot hide a change: writers *set* a new value after their commit; readers
only *add* one where none is (eviction, first poll), and read the version before
reading the messages. A page therefore holds the version that was current before it
read the messages, and any later commit replaces that version with a token never used
before. Deleting instead of setting would let a reader put back a token taken before
the commit it missed.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 24 * 3600
_VERSION = "contact:conversation:{}:version"
_FOLLOWER = "contact:conversation:{}:follower"
NOBODY = 0


def _token():
    return secrets.token_hex(8)


def changed(seeker_id):
    """The seeker's conversation changes in the current transaction: a new version now
    and another once it commits. A page that reads the first before the commit sees
    the old messages, and the second makes it ask again."""
    key = _VERSION.format(seeker_id)
    cache.set(key, _token(), TIMEOUT)
    transaction.on_commit(lambda: cache.set(key, _token(), TIMEOUT))


def follower_changed(seeker_id, counsellor_id):
    """The seeker's profile is saved (perhaps with another counsellor): until the commit,
    the polls read the follower from the database; then the new one is cached."""
    key = _FOLLOWER.format(seeker_id)
    value = counsellor_id or NOBODY
    cache.delete(key)
    transaction.on_commit(lambda: cache.set(key, value, TIMEOUT))


def version(seeker_id):
    """The conversation's current version (one cache read most of the time)."""
    key = _VERSION.format(seeker_id)
    found = cache.get(key)
    if found is None:
        cache.add(key, _token(), TIMEOUT)
        found = cache.get(key)
    return found


def version_and_follower(seeker_id):
    """(version or None, follower id or None) in one cache read."""
    version_key, follower_key = _VERSION.format(seeker_id), _FOLLOWER.format(seeker_id)
    found = cache.get_many([version_key, follower_key])
    return found.get(version_key), found.get(follower_key)


def remember_follower(seeker_id, counsellor_id):
    """The follower read from the database where the cache had none; a newer value
    written meanwhile by `follower_changed` wins. Returns the one now cached."""
    key = _FOLLOWER.format(seeker_id)
    cache.add(key, counsellor_id or NOBODY, TIMEOUT)
    return cache.get(key, counsellor_id or NOBODY)
