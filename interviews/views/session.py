"""The seeker's recording session: the page that records the answers, and the JSON
views its script (static/js/interview-recorder.js) calls.

Only the seeker works here, on their own takes: a visitor not logged in is sent to log
in; anyone else (another seeker, a counsellor, a manager, an editor) gets 404, the
same answer as for something that does not exist.

* session (GET): the questions of the page's set, the takes of the open attempt;
* start (POST, JSON): a new take for a question and its resumable upload (tus);
* send_file (POST, form): a take made of one file, for devices without MediaRecorder;
* take_status (GET, JSON, conditional): where the take's processing is, its measures;
* delete (POST): the take and its files; JSON for the script, else back to `next`
  (the forms of the session and of the attempt's page; the send page, which keeps
  its draft first, calls the same rule, recordings.delete_take).
"""

import hashlib
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import is_seeker
from core.request_limits import accepts_uploads, wants_json
from media.blocks import player_context

from .. import recordings
from ..jobs import answer_seconds, describe
from ..models import Attempt, MockInterviewPage, Take


def _private(response):
    patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)
    return response


def seeker_only(view):
    """Log in first; then only a seeker goes on (anyone else: 404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_seeker(request.user):
            raise Http404
        return _private(view(request, *args, **kwargs))

    return wrapper


def _interview(page_id):
    return get_object_or_404(MockInterviewPage.objects.live().specific(), pk=page_id)


def _own_take(request, take_id):
    return get_object_or_404(
        Take.objects.select_related("question", "attempt"), pk=take_id, attempt__seeker=request.user
    )


def take_urls(take):
    return {
        "status_url": reverse("interviews:take_status", args=[take.pk]),
        "delete_url": reverse("interviews:take_delete", args=[take.pk]),
    }


def take_data(take):
    """What the page shows of a take (the JSON of take_status)."""
    return {
        "id": take.pk,
        "position": take.position,
        "number": take.number,
        "status": take.status,
        "error": take.error,
        "duration": take.duration,
        "sentences": describe(take),
        "video_url": take.remuxed.url if take.remuxed else "",
        "rendition_url": take.rendition.url if take.rendition else "",
        "poster_url": take.poster.url if take.poster else "",
        **take_urls(take),
    }


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------
class FileAnswerForm(forms.Form):
    recording = forms.FileField(
        label=gettext_lazy("Your answer, recorded with your phone or your computer"),
        widget=forms.ClearableFileInput(attrs={"accept": "video/*,audio/*", "capture": "user"}),
    )


@require_GET
@seeker_only
def session(request, page_id):
    page = _interview(page_id)
    latest = Attempt.objects.filter(seeker=request.user, interview=page).order_by("-number").first()
    attempt = latest if latest is not None and not latest.is_sent else None
    takes = {}
    if attempt is not None:
        for take in attempt.takes.select_related("question").order_by("position", "number"):
            takes.setdefault(take.position, []).append(take_data(take))
    questions = [
        {
            "position": position,
            "question": question,
            "takes": takes.get(position, []),
            "player": render_to_string("media/player.html", player_context(question.video))
            if question.video
            else "",
        }
        # The players read their captions: one query for all of them.
        for position, question in enumerate(page.questions().prefetch_related("video__captions"), start=1)
    ]
    context = {
        "page": page,
        "attempt": attempt,
        "attempt_number": attempt.number if attempt else (latest.number + 1 if latest else 1),
        "questions": questions,
        "retention_days": settings.INTERVIEW_RETENTION_DAYS,
        "csrf_token_value": get_token(request),
        # The largest piece the client may send (core.resumable); it sizes them to its link.
        "upload_piece_bytes": settings.RESUMABLE_UPLOAD_CHUNK_MAX_BYTES,
        "file_form": FileAnswerForm(),
        "max_upload_bytes": recordings.max_upload_bytes(),
    }
    return render(request, "interviews/session/session.html", context)


def session_url(page, position=None):
    url = reverse("interviews:session", args=[page.pk])
    return f"{url}#question-{position}" if position else url


# ---------------------------------------------------------------------------
# Takes
# ---------------------------------------------------------------------------
@require_POST
@seeker_only
def start(request, page_id, question_id):
    page = _interview(page_id)
    take, upload = recordings.start_take(request.user, page, question_id)
    data = {
        "id": take.pk,
        "number": take.number,
        "position": take.position,
        "upload_url": upload.url,
        "max_seconds": answer_seconds(take),
        "send_url": reverse("interviews:send", args=[take.attempt_id]),
        **take_urls(take),
    }
    return JsonResponse(data, status=201)


@accepts_uploads(max_bytes=recordings.max_upload_bytes)
@require_POST
@seeker_only
def send_file(request, page_id, question_id):
    page = _interview(page_id)
    position, _question = recordings.question_of(page, question_id)
    form = FileAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a video or audio file of your answer."))
        return redirect(session_url(page, position))
    recordings.receive_file(request.user, page, question_id, form.cleaned_data["recording"])
    messages.success(
        request, _("Your answer was sent. Its measures appear below in a few seconds: reload the page.")
    )
    return redirect(session_url(page, position))


@require_GET
@seeker_only
def take_status(request, take_id):
    """Polled by the page: cheap (one query) and conditional (ETag)."""
    take = _own_take(request, take_id)
    data = take_data(take)
    etag = f'"{hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(data)
    response["ETag"] = etag
    return response


def _back(request, take):
    """Where a form goes back to once the take is deleted: its `next` when it is an
    address of this site, else the take's question in the session (or, for a sent
    attempt, the attempt's page)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    if take.attempt.is_sent:
        return take.attempt.seeker_url()
    return f"{reverse('interviews:session', args=[take.attempt.interview_id])}#question-{take.position}"


@require_POST
@seeker_only
def delete(request, take_id):
    """The one view that deletes a take (recordings.delete_take has the rules): JSON
    for the session's script (`wants_json`), else back to the form's page (`next`) with
    a message. The send page keeps its own "delete" button, which saves the draft
    first (attempts.send), then calls the same rule."""
    take = _own_take(request, take_id)
    back = _back(request, take)
    try:
        recordings.delete_take(request.user, take)
    except Take.DoesNotExist:
        raise Http404 from None
    except ValueError as refused:  # a take already sent stays with its attempt
        if wants_json(request):
            return JsonResponse({"error": str(refused)}, status=409)
        messages.error(request, str(refused))
        return redirect(back)
    if wants_json(request):
        return JsonResponse({"deleted": take_id})
    messages.success(request, deleted_message(take))
    return redirect(back)


def deleted_message(take):
    return _("Take %(take)s of question %(number)s was deleted.") % {
        "take": take.number,
        "number": take.position,
    }
