"""The seekers' conversations as the rest of Tremplin sees them, without knowing the app
that carries them.

Messages live in `contact`, above the workspace (`coaching`) and the accounts'
navigation, which therefore cannot import it. They read messages through this small
interface instead, as the workspace reads module types through `core.modules`:
`contact` registers one `ConversationSource` from `ContactConfig.ready()`::

    from core import conversations
    conversations.register(MessagesSource())

Without a registered source (the app not installed) nobody has messages: every count
is zero and no link is shown.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True, slots=True)
class ConversationState:
    """What the portfolio shows of one seeker's conversation."""

    #: Messages of the seeker no counsellor has read yet.
    unread: int = 0
    #: When the seeker's oldest message without an answer was sent; None when the
    #: counsellor had the last word (or there is no message).
    waiting_since: datetime.datetime | None = None

    @property
    def unanswered(self):
        return self.waiting_since is not None


NO_CONVERSATION = ConversationState()


class ConversationSource:
    """What an app that carries the seekers' messages answers. Every method answers in a
    fixed number of queries, never one per seeker."""

    def seeker_url(self):
        """The seeker's own conversation page ("Mes messages")."""
        raise NotImplementedError

    def counsellor_url(self, seeker_id):
        """The page where the counsellor following `seeker_id` talks with them."""
        raise NotImplementedError

    def inbox_url(self):
        """The counsellor's inbox: the conversations of their portfolio."""
        raise NotImplementedError

    def response_times_url(self):
        """A team manager's page of their counsellors' first-response times."""
        raise NotImplementedError

    def unread_for_seeker(self, seeker):
        """How many messages `seeker` (a User) has not read yet: read on every page
        of theirs (the navigation's badge), so it should cost no query most of the time."""
        raise NotImplementedError

    def states_for(self, seeker_ids):
        """{seeker_id: ConversationState} for the seekers with a conversation, in one
        query; missing seekers read as `NO_CONVERSATION`."""
        raise NotImplementedError


_source = None


def register(source):
    """Make `source` the one ConversationSource (called again with the same: no change)."""
    global _source
    if _source is not None and type(_source) is not type(source):
        raise ImproperlyConfigured(f"A conversation source is already registered: {_source!r}.")
    _source = source


def source():
    """The registered ConversationSource, or None."""
    return _source


def unread_for_seeker(seeker):
    return _source.unread_for_seeker(seeker) if _source is not None else 0


def states_for(seeker_ids):
    return _source.states_for(seeker_ids) if _source is not None and seeker_ids else {}
