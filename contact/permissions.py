"""Who may see and do what in keeping in touch: the one permission policy of this app.

It builds on the workspace's (`coaching.permissions`): a seeker reaches only their own
requests; the staff see those of the seekers within their reach (a counsellor their
portfolio, a manager their team's), anything else is a 404.
"""

from accounts.permissions import is_counsellor
from coaching.permissions import visible_seekers

from . import callbacks


def callbacks_within_reach(user):
    """The open callback requests `user` may see."""
    return callbacks.waiting(visible_seekers(user))


def may_call_back(user):
    """Calling back is the counsellor's (a manager sees their team's list)."""
    return is_counsellor(user)
