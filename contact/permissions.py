"""Who may see and do what in keeping in touch: the one permission policy of this app.

A conversation is read by its seeker and by the counsellor who follows them now (the
seeker's profile says who), nobody else: not a former counsellor, not the team's
manager, not an editor. Callback requests follow the workspace's reach
(`coaching.permissions`): the staff see those of the seekers within their reach (a
counsellor their portfolio, a manager their team's); calling back is the counsellor's.
Anyone else asking for a conversation, an attachment, a request or the inbox gets the
same 404 as for something that does not exist.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import SeekerProfile
from accounts.permissions import is_counsellor, is_manager, is_seeker
from coaching.permissions import visible_seekers

from . import callbacks
from .models import Attachment


def own_conversation_or_404(user):
    """A seeker's own conversation page: the seeker (a User), else 404."""
    if not is_seeker(user):
        raise Http404
    return user


def followed_seeker_or_404(user, seeker_id):
    """The SeekerProfile of `seeker_id` if `user` is the counsellor following them now."""
    if not is_counsellor(user):
        raise Http404
    return get_object_or_404(SeekerProfile.objects.select_related("user"), user_id=seeker_id, counsellor=user)


def has_inbox(user):
    """Counsellors have an inbox, of the conversations of their portfolio."""
    return is_counsellor(user)


def can_see_response_times(user):
    """Team managers see how fast their team's counsellors answer (figures, no message)."""
    return is_manager(user)


def can_read_conversation(user, seeker_id):
    """The seeker themself, or the counsellor following them now (one query)."""
    if user.pk == seeker_id:
        return is_seeker(user)
    return is_counsellor(user) and SeekerProfile.objects.filter(user_id=seeker_id, counsellor=user).exists()


def readable_attachments(user):
    """The attachments `user` may open: those of their own conversation (a seeker), or
    of the conversations of their portfolio (a counsellor)."""
    if is_seeker(user):
        return Attachment.objects.filter(message__conversation_id=user.pk)
    if is_counsellor(user):
        return Attachment.objects.filter(message__conversation__seeker__seeker_profile__counsellor=user)
    return Attachment.objects.none()


def callbacks_within_reach(user):
    """The open callback requests `user` may see."""
    return callbacks.waiting(visible_seekers(user))


def may_call_back(user):
    """Calling back is the counsellor's (a manager sees their team's list)."""
    return is_counsellor(user)


def can_see_satisfaction(user):
    """Team managers see their team's satisfaction figures (shares, no names of seekers)."""
    return is_manager(user)
