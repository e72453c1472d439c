"""Request bodies refused from their declared size, before anything reads them.

Django reads a request's body the first time something asks for `request.POST` or
`request.FILES`, and CsrfViewMiddleware does so for every POST, before the view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE limits only the fields of a form, once read; file parts
are streamed to disk whatever their size. So `RequestSizeLimitMiddleware`, placed
before CsrfViewMiddleware, compares the Content-Length header with the limit of the
view about to run and answers 413 without reading a byte:

- any view: ``REQUEST_MAX_BODY_BYTES`` (1 MiB);
- the Wagtail admin: ``ADMIN_MAX_BODY_BYTES`` (Django's limit on form fields: pages
  with long StreamFields make large forms);
- a view that takes files: the largest file it accepts, plus ``REQUEST_MAX_BODY_BYTES``
  for the rest of its form. Our views (routes of Wagtail pages included) say it with
  ``@accepts_uploads(max_bytes=...)``; the admin's upload views, which are not ours,
  by URL name in ``REQUEST_UPLOAD_LIMITS``.

A body without a Content-Length (``Transfer-Encoding: chunked``) is refused with 411:
its size is not known before it is read, and Django under WSGI would read it as empty.
nginx (site/nginx.conf.example) applies the same limits, a little higher, so that
people see this page rather than nginx's.
"""

import dataclasses

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page


@dataclasses.dataclass(frozen=True)
class BodyLimit:
    """What a view accepts: `body_bytes` in all; `file_bytes`, the largest file it takes
    (None: it takes no file)."""

    body_bytes: int
    file_bytes: int | None = None


def accepts_uploads(*, max_bytes):
    """Let a view (a function, a method routed by a Wagtail page, or a class-based view)
    take files of up to `max_bytes` (an int, or a function returning one, read at each
    request so that settings may change it). The view is returned unchanged."""

    def mark(view):
        view.max_upload_bytes = max_bytes
        return view

    return mark


def _declared_upload_limit(view):
    view_class = getattr(view, "view_class", None)
    max_bytes = getattr(view, "max_upload_bytes", getattr(view_class, "max_upload_bytes", None))
    return max_bytes() if callable(max_bytes) else max_bytes


def _page_route_view(request):
    """The page method a Wagtail URL leads to: the route of a RoutablePageMixin page, else
    the page's `serve`. Wagtail keeps the route on the request, so serving it costs no
    second lookup."""
    if request.resolver_match.url_name != "wagtail_serve":
        return None
    match = request.resolver_match
    route = Page.route_for_request(request, match.args[0] if match.args else match.kwargs.get("path", ""))
    if route is None:
        return None
    page, args, _kwargs = route
    if isinstance(page, RoutablePageMixin) and args:
        return args[0]
    return page.serve


def _configured_upload_limit(request):
    """From REQUEST_UPLOAD_LIMITS: by URL name ("ns:name", "name") or namespace ("ns:")."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    limits = settings.REQUEST_UPLOAD_LIMITS
    if match.view_name in limits:
        return limits[match.view_name]
    for namespace in reversed(match.namespaces):
        if f"{namespace}:" in limits:
            return limits[f"{namespace}:"]
    return None


def limit_for(request, view_func):
    """The BodyLimit of the view about to answer `request`."""
    default = settings.REQUEST_MAX_BODY_BYTES
    file_bytes = _declared_upload_limit(view_func)
    if file_bytes is None:
        file_bytes = _configured_upload_limit(request)
    if file_bytes is None:
        route_view = _page_route_view(request)
        file_bytes = _declared_upload_limit(route_view) if route_view is not None else None
    if file_bytes is not None:
        return BodyLimit(file_bytes + default, file_bytes)
    if request.path.startswith(tuple(settings.ADMIN_URL_PREFIXES)):
        return BodyLimit(max(settings.ADMIN_MAX_BODY_BYTES, default))
    return BodyLimit(default)


def _declared_length(request):
    """The Content-Length as an int; None if the body's size is not declared."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def wants_json(request):
    """A script (fetch, XHR) rather than a page: it gets a short JSON error."""
    return request.headers.get("X-Requested-With") in {"fetch", "XMLHttpRequest"} or not request.accepts(
        "text/html"
    )


def refuse(request, *, status, size, limit):
    """The 413 (or 411) answer: what was too big, the limit, what to do; in the user's
    language (LocaleMiddleware ran before)."""
    shown_limit = limit.file_bytes if limit.file_bytes is not None else limit.body_bytes
    if size is None:
        message = _("What you sent has no declared size: send it again from the page's form.")
    else:
        message = _("What you sent is too large (%(size)s): %(limit)s at most here.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(shown_limit),
        }
    if wants_json(request):
        return JsonResponse({"errors": {"__all__": message}}, status=status)
    context = {
        "size": size,
        "limit": shown_limit,
        "takes_files": limit.file_bytes is not None,
        "message": message,
    }
    return render(request, "413.html", context, status=status)


class RequestSizeLimitMiddleware:
    """Refuse a body larger than its view accepts, before CsrfViewMiddleware reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = _declared_length(request)
        if length is None:
            if "HTTP_TRANSFER_ENCODING" in request.META:
                return refuse(
                    request, status=411, size=None, limit=BodyLimit(settings.REQUEST_MAX_BODY_BYTES)
                )
            return None
        # Nearly every request fits the smallest limit: no view lookup for those.
        if length <= settings.REQUEST_MAX_BODY_BYTES:
            return None
        limit = limit_for(request, view_func)
        if length > limit.body_bytes:
            return refuse(request, status=413, size=length, limit=limit)
        return None
