"""What the "anything new?" requests read instead of the database: a version of each
conversation, in the cache.

A conversation page polls every ten seconds; almost every answer is "nothing new"
(304). Reading the conversation's row for that costs as much as the rest of the
request, so the answer comes from one cache entry instead: the conversation's
*version*, a random token replaced after every commit that changes what a page shows
or who may see it (a message, a read mark, a save of the seeker's profile, which may
give them another counsellor). The poll's ETag is made from it, signed for the user
(contact.views.messages): a version changed since a user was last answered in full
sends them through the permission check again.

Why this cannot hide a change: writers *set* a new token (never used before) now and
again after their commit; readers only *add* one where none is (eviction, first poll),
and read the version before reading the messages. A page therefore holds the version
that was current before it read the messages, and any later commit replaces it.
Deleting instead of setting would let a reader put back a token taken before the commit
it missed.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 24 * 3600
_VERSION = "contact:conversation:{}:version"


def _token():
    return secrets.token_hex(8)


def changed(seeker_id):
    """The seeker's conversation, or who may read it, changes in the current
    transaction: a new version now and another once it commits. A page that reads the
    first before the commit sees the old state, and the second makes it ask again."""
    key = _VERSION.format(seeker_id)
    cache.set(key, _token(), TIMEOUT)
    transaction.on_commit(lambda: cache.set(key, _token(), TIMEOUT))


def version(seeker_id):
    """The conversation's current version (one cache read most of the time)."""
    key = _VERSION.format(seeker_id)
    found = cache.get(key)
    if found is None:
        cache.add(key, _token(), TIMEOUT)
        found = cache.get(key)
    return found
