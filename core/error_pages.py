"""Tremplin's own pages for a malformed request (400) and a refused CSRF check (403).

Django's defaults are bare English pages, and render without the request (so without
the visitor's session or language). These render the site's template in the visitor's
language and say what to do next; a script (autosave, fetch) gets a short JSON error in
the shape static/js/autosave.js reads.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .request_limits import wants_json


def _answer(request, *, status, template, message):
    if wants_json(request):
        return JsonResponse({"errors": {"__all__": message}}, status=status)
    return render(request, template, status=status)


def bad_request(request, exception):
    """handler400: a request Django could not accept (malformed, suspicious)."""
    message = _("Tremplin could not understand this request. Go back to the page, reload it and try again.")
    return _answer(request, status=400, template="400.html", message=message)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from a page open too long, from another site, or
    without cookies. The reason stays in the logs, not on the page."""
    message = _(
        "This form has expired or your browser refused Tremplin's cookie. Reload the page, then send it again."
    )
    return _answer(request, status=403, template="403_csrf.html", message=message)
