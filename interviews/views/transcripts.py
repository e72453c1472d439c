"""An answer's transcript: its captions track, and the seeker's correction of the text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import is_seeker

from .. import transcripts
from ..models import TakeTranscript, TranscriptStatus
from ..permissions import readable_takes

MAX_CORRECTION = 20000


def _transcript_or_404(user, take_id):
    return get_object_or_404(
        TakeTranscript.objects.select_related("take__attempt"),
        take__in=readable_takes(user),
        take_id=take_id,
        status=TranscriptStatus.DONE,
    )


@never_cache
@login_required
@require_GET
def captions(request, take_id):
    """The WebVTT track of an answer's video, for whoever may watch the video."""
    vtt = transcripts.webvtt(_transcript_or_404(request.user, take_id))
    if vtt is None:
        raise Http404
    response = HttpResponse(vtt, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def correct(request, take_id):
    """The seeker corrects what the engine heard (the words' times stay the engine's)."""
    if not is_seeker(request.user):
        raise Http404
    transcript = _transcript_or_404(request.user, take_id)
    text = request.POST.get("corrected_text", "").strip()[:MAX_CORRECTION]
    transcript.corrected_text = "" if text == transcript.text else text
    transcript.save(update_fields=["corrected_text"])
    messages.success(request, _("Your correction of the transcript was saved."))
    return redirect(f"{transcript.take.attempt.seeker_url()}#question-{transcript.take.position}")
