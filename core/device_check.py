"""'Vérifier mon matériel': camera, microphone and connection checked before a mock
interview or a visio appointment, on one page both link to.

The camera, the microphone and the sound level are checked in the browser only (nothing
is recorded or sent). The upload speed is measured by posting a few hundred kilobytes of
random bytes to `upload_speed`, which reads and drops them; it is throttled per user, as
it accepts bodies on purpose.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import throttle

#: Bytes the page posts to measure the upload speed (under REQUEST_MAX_BODY_BYTES).
SAMPLE_BYTES = 512 * 1024
# Enough to retry a few times, not to use the endpoint as a free upload sink.
CHECKS_PER_HOUR = 30
#: Upload speeds (kilobits per second) the page compares the measure with.
VIDEO_CALL_KBPS = 1000
RECORDING_KBPS = 500


@never_cache
@login_required
def device_check(request):
    context = {
        "sample_bytes": SAMPLE_BYTES,
        "video_call_kbps": VIDEO_CALL_KBPS,
        "recording_kbps": RECORDING_KBPS,
    }
    return render(request, "core/device_check.html", context)


@never_cache
@login_required
@require_POST
def upload_speed(request):
    """Read the posted sample and say how many bytes arrived; the browser times it."""
    if not throttle.hit("device-check", str(request.user.pk), limit=CHECKS_PER_HOUR, window=3600):
        return JsonResponse({"error": _("Too many checks: try again in an hour.")}, status=429)
    received = 0
    while chunk := request.read(64 * 1024):
        received += len(chunk)
    if received > settings.REQUEST_MAX_BODY_BYTES:
        return HttpResponse(status=413)
    return JsonResponse({"received": received})
