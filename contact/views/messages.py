"""Messages between a seeker and the counsellor following them.

The seeker's "Mes messages" and the counsellor's page for a seeker of their portfolio
are one page: the conversation (newest at the bottom) and a form that posts to the
page's own URL and redirects back (post/redirect/get), so everything works without
JavaScript. With it (static/js/messages.js), the page asks its "anything new?" URL
every 10 seconds while visible, less often when hidden; while nothing changed, that URL
answers 304 from the cache, without a query (an ETag; contact.poll_versions). Opening the page, or
receiving new messages on a visible page, marks the other side's messages read.

Anyone but the seeker and their counsellor of today gets 404 (contact.permissions).
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import F, Max
from django.http import Http404, HttpResponseNotAllowed, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache

from accounts.permissions import is_counsellor
from coaching.permissions import assignable_counsellors
from core.request_limits import accepts_uploads

from .. import messages as rules
from .. import poll_versions, satisfaction
from .. import response_times as times
from ..messages_forms import MessageForm
from ..models import Message
from ..permissions import can_see_response_times, followed_seeker_or_404, has_inbox, own_conversation_or_404
from ..working_hours import OpeningHours

PAGE_LENGTH = 50
PAGE_METHODS = ("GET", "HEAD", "POST")
SAFE_METHODS = ("GET", "HEAD")


def _not_allowed(request, methods):
    """405 for a method the view does not take; checked after the permission, so that
    an outsider gets the same 404 whatever the method."""
    if request.method not in methods:
        return HttpResponseNotAllowed(methods)
    return None


@never_cache
@login_required
@accepts_uploads(max_bytes=rules.max_attachment_bytes)
def my_messages(request):
    seeker = own_conversation_or_404(request.user)
    return _not_allowed(request, PAGE_METHODS) or _conversation_page(
        request,
        seeker,
        by_seeker=True,
        page_url=reverse("contact:my_messages"),
        poll_url=reverse("contact:my_messages_poll"),
    )


@never_cache
@login_required
@accepts_uploads(max_bytes=rules.max_attachment_bytes)
def conversation(request, seeker_id):
    profile = followed_seeker_or_404(request.user, seeker_id)
    return _not_allowed(request, PAGE_METHODS) or _conversation_page(
        request,
        profile.user,
        by_seeker=False,
        page_url=reverse("contact:conversation", args=[seeker_id]),
        poll_url=reverse("contact:conversation_poll", args=[seeker_id]),
    )


def _conversation_page(request, seeker, *, by_seeker, page_url, poll_url):
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["attachment"]
            message = rules.send(
                seeker,
                request.user,
                form.cleaned_data["body"],
                upload=upload,
                kind=form.kind,
                file_name=form.file_name,
                base_url=request.build_absolute_uri("/"),
            )
            # Answering is reading what came before.
            rules.mark_read(seeker.pk, by_seeker=by_seeker)
            return redirect(f"{page_url}#message-{message.pk}")
    else:
        rules.mark_read(seeker.pk, by_seeker=by_seeker)
    before = _int(request.GET.get("avant"))
    found = _messages(seeker.pk, before=before)
    return render(
        request,
        "contact/messages/conversation.html",
        {
            "seeker": seeker,
            "by_seeker": by_seeker,
            "viewer_id": request.user.pk,
            "form": form,
            "chat": found[-PAGE_LENGTH:],
            "older": len(found) > PAGE_LENGTH,
            "last_id": found[-1].pk if found else 0,
            "page_url": page_url,
            # Older messages are a page of their own: nothing new is appended to them.
            "poll_url": poll_url if before is None else "",
            "browsing_older": before is not None,
            "surveys": list(satisfaction.pending(seeker)[:3]) if by_seeker else [],
        },
    )


def _int(value):
    """A message id from the query string, or None."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None


def _messages(seeker_id, *, before=None, after=None):
    """The conversation's messages with their author and attachments (two queries):
    the last PAGE_LENGTH (+1, to know whether there are older ones) before `before`,
    or the first PAGE_LENGTH after `after`; oldest first."""
    found = Message.objects.filter(conversation_id=seeker_id).select_related("author")
    found = found.prefetch_related("attachments")
    if after is not None:
        return list(found.filter(pk__gt=after).order_by("pk")[:PAGE_LENGTH])
    if before is not None:
        found = found.filter(pk__lt=before)
    return list(reversed(found.order_by("-pk")[: PAGE_LENGTH + 1]))


# --- "Anything new?" ------------------------------------------------------------------------


@never_cache
@login_required
def my_messages_poll(request):
    seeker = own_conversation_or_404(request.user)
    return _poll(request, seeker.pk, by_seeker=True, check=lambda: None)


@never_cache
@login_required
def conversation_poll(request, seeker_id):
    if not is_counsellor(request.user):  # the role as it is now, read with the user
        raise Http404
    return _poll(
        request, seeker_id, by_seeker=False, check=lambda: followed_seeker_or_404(request.user, seeker_id)
    )


def _etag(version, user, reading):
    """The conversation's version, for this user only (signed: an ETag passed on to
    someone else matches nothing), and whether the page was visible (`reading`): a page
    that got messages while hidden gets them again, and reads them, once visible."""
    signature = salted_hmac("contact.poll", f"{version}:{user.pk}:{reading:d}", algorithm="sha256")
    return f'"{signature.hexdigest()[:32]}"'


def _poll(request, seeker_id, *, by_seeker, check):
    """New messages after `?apres=<id>` as JSON, or 304 when the conversation's version
    is still the one the page's ETag was made from. `?lu=1` (the page is visible): the
    other side's new messages are read now.

    The 304 needs neither the database nor `check` (the permission, which raises
    Http404): its ETag is signed for this user and this version of the conversation,
    and the version changes with every message, every read mark and every save of the
    seeker's profile (a new counsellor: contact.poll_versions). Only a user answered in
    full since the last change holds it; anyone else goes through `check`."""
    reading = request.GET.get("lu") == "1"
    version = poll_versions.version(seeker_id)
    etag = _etag(version, request.user, reading)
    # META rather than request.headers, which copies every header first: this path is
    # the one taken every ten seconds by every open conversation.
    if request.method in SAFE_METHODS and etag in {
        tag.strip() for tag in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")
    }:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    check()
    if refused := _not_allowed(request, SAFE_METHODS):
        return refused
    after = _int(request.GET.get("apres")) or 0
    if reading and rules.mark_read(seeker_id, by_seeker=by_seeker):
        # Committed: the version it gave is the one this answer shows.
        version = poll_versions.version(seeker_id)
    # The version is read before the messages: a change committed after this
    # reading gives the conversation a newer version, and the page's next request
    # gets it.
    new = _messages(seeker_id, after=after)
    own_read = Message.objects.filter(
        conversation_id=seeker_id, from_seeker=by_seeker, read_at__isnull=False
    ).aggregate(last=Max("pk"))["last"]
    # Rendered without the request: the fragments need none of the page's context processors.
    context = {"by_seeker": by_seeker, "viewer_id": request.user.pk}
    response = JsonResponse(
        {
            "messages": [
                {
                    "id": message.pk,
                    "html": render_to_string(
                        "contact/messages/message.html", {**context, "message": message}
                    ),
                }
                for message in new
            ],
            "read_through": own_read or 0,
        }
    )
    if len(new) < PAGE_LENGTH:
        response["ETag"] = _etag(version, request.user, reading)
    # else: more are waiting; without an ETag the next request gets them.
    return response


# --- The counsellor's inbox -----------------------------------------------------------------


@never_cache
@login_required
def inbox(request):
    """The conversations of the counsellor's portfolio, the seeker who has waited
    longest for an answer first, then the most recent: one query."""
    if not has_inbox(request.user):
        raise Http404
    if refused := _not_allowed(request, SAFE_METHODS):
        return refused
    conversations = list(
        rules.inbox_for(request.user).order_by(
            F("waiting_since").asc(nulls_last=True), F("last_message_at").desc(nulls_last=True)
        )
    )
    return render(
        request,
        "contact/messages/inbox.html",
        {"conversations": rules.inbox_rows(conversations, now=timezone.now())},
    )


# --- A team's first-response times ----------------------------------------------------------

PERIODS = (7, 30, 90)


@never_cache
@login_required
def response_times(request):
    """The manager's view of their team: each counsellor's median first-response time
    over the last 7, 30 or 90 days, in working hours."""
    if not can_see_response_times(request.user):
        raise Http404
    if refused := _not_allowed(request, SAFE_METHODS):
        return refused
    days = _int(request.GET.get("jours"))
    days = days if days in PERIODS else 30
    until = timezone.now()
    rows = times.for_counsellors(
        assignable_counsellors(request.user), since=until - datetime.timedelta(days=days), until=until
    )
    return render(
        request,
        "contact/messages/response_times.html",
        {"rows": rows, "days": days, "periods": PERIODS, "hours": OpeningHours.from_settings()},
    )
