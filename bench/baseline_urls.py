"""Benchmarks only: the production URLconf plus a baseline page (bench/portfolio.py).

Never a server's URLconf (`ROOT_URLCONF` is set to it by the benchmark alone). The
baseline is the simplest page that shows what the portfolio shows in its rows: the
counsellor's seekers (name, e-mail, modality) from one query, through the same
middleware, log-in check, navigation and base template. What the portfolio costs
beyond it is the portfolio's own work; dividing by it leaves out how fast the
machine is.

`bench/empty/` is the yardstick of bench/contact.py's "anything new?" requests: a
logged-in user gets an empty JSON object, through the same middleware and log-in
check, with nothing else.

`bench/upload/` is the yardstick of bench/interviews.py's chunked upload: one plain POST
of the whole file, its body read in pieces of the resumable endpoint's size and written
to a file in the folder of the uploads in progress, through the same middleware, log-in
and CSRF checks. The file stays until the benchmark deletes it (`bench/upload/<name>/`,
DELETE), as the chunked upload's file stays with its take: a file deleted at once lends
its memory to the next write, which a kept one does not (on this VM, a write into memory
not used for a while costs 20 ms per 8 MiB, into memory just freed 2 ms).
"""

import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Modality
from accounts.permissions import staff_required
from coaching.permissions import visible_seekers
from core import resumable
from core.request_limits import accepts_uploads
from tremplin.urls import urlpatterns as tremplin_urlpatterns

BASELINE_PATH = "bench/baseline/"
EMPTY_PATH = "bench/empty/"
UPLOAD_PATH = "bench/upload/"

_TEMPLATE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}Baseline{% endblock %}
{% block content %}
<h1>Baseline: {{ seekers|length }} seekers</h1>
<table>
<thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Modality</th></tr></thead>
<tbody>
{% for first_name, last_name, email, modality in seekers %}
<tr><td>{{ last_name }} {{ first_name }}</td><td>{{ email }}</td><td>{{ modality }}</td></tr>
{% endfor %}
</tbody>
</table>
{% endblock %}"""
)


@never_cache
@staff_required
def baseline(request):
    """The counsellor's seekers, one query, one plain table."""
    labels = dict(Modality.choices)
    seekers = [
        (first_name, last_name, email, labels.get(modality, modality))
        for first_name, last_name, email, modality in visible_seekers(request.user)
        .order_by("user__last_name", "user__first_name", "user_id")
        .values_list("user__first_name", "user__last_name", "user__email", "modality")
    ]
    return HttpResponse(_TEMPLATE.render({"seekers": seekers}, request))


@never_cache
@login_required
def empty(request):
    """A bare authenticated view: an empty JSON object (the poll's yardstick)."""
    return JsonResponse({})


@accepts_uploads(max_bytes=lambda: settings.INTERVIEW_MAX_UPLOAD_BYTES)
@never_cache
@login_required
@require_POST
def upload(request):
    """A bare upload: the whole body written to a file kept until `upload_delete`;
    answers its size and name."""
    size = int(request.headers.get("Content-Length") or 0)
    name = f"bench-{secrets.token_hex(8)}"
    received = 0
    with open(resumable.upload_folder() / name, "wb") as stored:
        while received < size:
            piece = request.read(min(resumable.BODY_READ_SIZE, size - received))
            if not piece:
                break
            stored.write(piece)
            received += len(piece)
    return JsonResponse({"bytes": received, "name": name})


@never_cache
@login_required
@require_http_methods(["DELETE"])
def upload_delete(request, name):
    """Remove what `upload` stored."""
    if not name.startswith("bench-") or "/" in name:
        raise Http404
    (resumable.upload_folder() / name).unlink(missing_ok=True)
    return JsonResponse({})


urlpatterns = [
    path(BASELINE_PATH, baseline, name="bench_baseline"),
    path(EMPTY_PATH, empty, name="bench_empty"),
    path(UPLOAD_PATH, upload, name="bench_upload"),
    path(f"{UPLOAD_PATH}<str:name>/", upload_delete, name="bench_upload_delete"),
    *tremplin_urlpatterns,
]
