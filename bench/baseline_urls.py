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
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.urls import path
from django.views.decorators.cache import never_cache

from accounts.models import Modality
from accounts.permissions import staff_required
from coaching.permissions import visible_seekers
from tremplin.urls import urlpatterns as tremplin_urlpatterns

BASELINE_PATH = "bench/baseline/"
EMPTY_PATH = "bench/empty/"

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


urlpatterns = [
    path(BASELINE_PATH, baseline, name="bench_baseline"),
    path(EMPTY_PATH, empty, name="bench_empty"),
    *tremplin_urlpatterns,
]
