"""Admin views of the media app (retry, usage, captions) and the development file server for renditions."""

import os
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.static import serve
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.admin.views import generic
from wagtailmedia.views import media as wagtailmedia_views

from .cues import transcript_from_webvtt
from .models import Asset, Caption, ProcessingStatus
from .permissions import captions_user_may_manage, may_change_asset
from .ranges import RangeNotSatisfiable, parse_range

# Renditions and posters get a fresh generated name each time they are made: a URL
# always means the same bytes, so browsers may keep them for a year.
IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"


def is_stuck(asset, *, now=None):
    """Left "processing" longer than a job may run: its worker died."""
    if asset.status != ProcessingStatus.PROCESSING or asset.processing_started_at is None:
        return False
    timeout = timedelta(seconds=settings.MEDIA_PROCESSING["JOB_TIMEOUT"])
    return asset.processing_started_at < (now or timezone.now()) - timeout


def is_retryable(asset, *, now=None):
    """An editor may start the processing again: it failed, or it is stuck."""
    return asset.status == ProcessingStatus.FAILED or is_stuck(asset, now=now)


@require_POST
def retry(request, asset_id):
    """Start the processing of a failed or stuck asset again (media.jobs does the work)."""
    asset = get_object_or_404(Asset, pk=asset_id)
    if not may_change_asset(request.user, asset):
        raise PermissionDenied
    next_url = get_valid_next_url_from_request(request) or reverse("wagtailmedia:edit", args=[asset.pk])
    if not is_retryable(asset):
        messages.warning(
            request,
            _("“%(title)s” is %(status)s: there is nothing to retry.")
            % {"title": asset.title, "status": asset.get_status_display().lower()},
        )
        return redirect(next_url)

    from media.jobs import retry_processing  # the pipeline's module; imported when used

    with transaction.atomic():
        started = retry_processing(asset)
    if started is False:  # a worker may still be processing it: nothing was changed
        messages.warning(
            request, _("“%(title)s” is being processed right now: try again later.") % {"title": asset.title}
        )
        return redirect(next_url)
    messages.success(
        request,
        _("“%(title)s” will be processed again in a moment.") % {"title": asset.title},
        buttons=[messages.button(reverse("wagtailmedia:edit", args=[asset.pk]), _("Edit"))],
    )
    return redirect(next_url)


def usage(request, media_id):
    """wagtailmedia's usage page, refused (as its edit page is) for an asset the user
    may not change: wagtailmedia's own only asks for some media permission somewhere."""
    if media_id > 2**63 - 1:  # no row has it; SQLite would raise OverflowError
        raise Http404
    asset = get_object_or_404(Asset, pk=media_id)
    if not may_change_asset(request.user, asset):
        return permission_denied(request)
    return wagtailmedia_views.usage(request, media_id)


# ---------------------------------------------------------------------------
# Captions (a Wagtail ModelViewSet, see wagtail_hooks.CaptionViewSet)
# ---------------------------------------------------------------------------
class _NextURLMixin:
    """Return to the page the editor came from (the video's edit page) when it says so."""

    def with_next(self, url):
        next_url = get_valid_next_url_from_request(self.request)
        return set_query_params(url, {"next": next_url}) if next_url else url

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or super().get_success_url()


class _ReplacedFileMixin:
    def delete_file_after_commit(self, name):
        if name:
            storage = Caption._meta.get_field("file").storage
            transaction.on_commit(lambda: storage.delete(name))


class _ManageableCaptionsMixin:
    """Only the captions of videos the user may change exist for them (a 404 otherwise):
    the history and usage pages look up their caption through this too."""

    def get_base_object_queryset(self):
        return captions_user_may_manage(self.request.user)


class CaptionHistoryView(_ManageableCaptionsMixin, generic.HistoryView):
    pass


class CaptionUsageView(_ManageableCaptionsMixin, generic.UsageView):
    pass


class CaptionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return captions_user_may_manage(self.request.user).select_related("asset")


class CaptionCreateView(_NextURLMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if self.request.method == "GET":
            asset_id = self.request.GET.get("asset", "")
            if asset_id.isdigit():
                initial["asset"] = int(asset_id)
            if self.request.GET.get("language") in dict(settings.LANGUAGES):
                initial["language"] = self.request.GET["language"]
        return initial

    def get_add_url(self):
        return self.with_next(super().get_add_url())


class CaptionEditView(_NextURLMixin, _ReplacedFileMixin, generic.EditView):
    """Replace a file, or correct the text in place; a draft is shown on its video and
    gets a "Save and publish" action."""

    submit_button_label = gettext_lazy("Save")
    template_name = "media/admin/caption_edit.html"
    published_message = gettext_lazy("Captions “%(object)s” published: visitors see them now.")

    def get_queryset(self):
        return captions_user_may_manage(self.request.user).select_related("asset")

    @property
    def publishing(self):
        return self.request.method == "POST" and "publish" in self.request.POST and self.object.is_draft

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "publish": self.publishing}

    def get_success_message(self):
        if self.object.is_published and self.form.publish:
            return self.published_message % {"object": self.object}
        return super().get_success_message()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asset = self.object.asset
        video = asset.rendition_360 or asset.rendition_720
        context["preview"] = {
            "src": video.url if video and asset.type == "video" else "",
            "poster": asset.poster.url if asset.poster else "",
            "caption_url": self.object.file.url if self.object.file else "",
        }
        # The words alone, for the transcript of the video's block on a lesson to start from.
        current = context["form"].current_text
        context["transcript_text"] = transcript_from_webvtt(current) if current else ""
        return context

    def get_edit_url(self):
        return self.with_next(super().get_edit_url())

    def save_instance(self):
        replaced = self.form.replaced_file_name
        instance = super().save_instance()
        if replaced and instance.file.name != replaced:
            self.delete_file_after_commit(replaced)
        return instance


class CaptionDeleteView(_NextURLMixin, _ReplacedFileMixin, generic.DeleteView):
    def get_queryset(self):
        return captions_user_may_manage(self.request.user)

    def get_delete_url(self):
        return self.with_next(super().get_delete_url())

    def delete_action(self):
        name = self.object.file.name
        super().delete_action()
        self.delete_file_after_commit(name)


# ---------------------------------------------------------------------------
# Development only: renditions and posters with their production cache headers
# ---------------------------------------------------------------------------
# An open range ("bytes=N-") gets this much at most: a player seeking in a long video
# asks for the rest of the file and takes what it gets.
_DEV_RANGE_CHUNK = 8 * 1024 * 1024


def serve_rendition(request, path):
    """Serve a rendition or poster from MEDIA_ROOT as nginx does in production (DEBUG only):
    year-long cache headers, and byte ranges so that seeking (and the player's change of
    quality at the current time) works in development too."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = IMMUTABLE_CACHE_CONTROL
    response["Accept-Ranges"] = "bytes"
    if response.status_code != 200 or "Range" not in request.headers:
        return response
    full_path = safe_join(settings.MEDIA_ROOT, path)
    size = os.path.getsize(full_path)
    try:
        byte_range = parse_range(request.headers["Range"], size, longest_open_range=_DEV_RANGE_CHUNK)
    except RangeNotSatisfiable:
        response.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    if byte_range is None:
        return response
    first, last = byte_range
    with open(full_path, "rb") as file:
        file.seek(first)
        partial = HttpResponse(file.read(last - first + 1), status=206, content_type=response["Content-Type"])
    partial["Content-Range"] = f"bytes {first}-{last}/{size}"
    for header in ("Cache-Control", "Accept-Ranges", "Last-Modified"):
        if header in response:
            partial[header] = response[header]
    response.close()
    return partial
