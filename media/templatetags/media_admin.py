"""Template helpers for the media library in Wagtail's admin."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.utils import set_query_params

from media.models import ProcessingStatus, Rendition
from media.permissions import may_read_processing_log
from media.views import is_retryable, is_stuck

register = template.Library()

STATUS_CLASSNAMES = {
    ProcessingStatus.READY: "w-status--primary",
    ProcessingStatus.PENDING: "w-status--label",
    ProcessingStatus.PROCESSING: "w-status--label",
    ProcessingStatus.FAILED: "",
}


@register.filter
def duration_display(seconds):
    """1:02:03 or 4:05 for a duration in seconds; empty when unknown."""
    if not seconds:
        return ""
    total = round(float(seconds))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def dimensions_display(asset):
    """1280×720, or empty for audio and for what the pipeline has not measured yet."""
    if asset.width and asset.height:
        return f"{asset.width}×{asset.height}"
    return ""


@register.simple_tag
def asset_status(asset):
    """What the listing and the edit page say about the processing of `asset`."""
    stuck = is_stuck(asset)
    return {
        "label": asset.get_status_display(),
        "classname": STATUS_CLASSNAMES.get(asset.status, ""),
        "failed": asset.status == ProcessingStatus.FAILED,
        "stuck": stuck,
        "retryable": is_retryable(asset),
        "retry_url": reverse("media_retry", args=[asset.pk]),
    }


def _size(field_file):
    try:
        return field_file.size
    except OSError:
        return None


@register.simple_tag(takes_context=True)
def asset_details(context, asset):
    """Renditions, captions (with their admin links) and, for administrators, the log."""
    request = context["request"]
    back = request.get_full_path()
    renditions = [
        {"label": kind.label, "url": field_file.url, "size": _size(field_file)}
        for kind in Rendition
        if (field_file := getattr(asset, kind.value))
    ]
    existing = {caption.language: caption for caption in asset.captions.all()}
    captions = []
    for code, name in settings.LANGUAGES:
        caption = existing.get(code)
        entry = {"language": name, "code": code, "caption": caption}
        if caption is None:
            entry["add_url"] = set_query_params(
                reverse("captions:add"), {"asset": asset.pk, "language": code, "next": back}
            )
        else:
            entry["url"] = caption.file.url
            entry["edit_url"] = set_query_params(reverse("captions:edit", args=[caption.pk]), {"next": back})
            entry["delete_url"] = set_query_params(
                reverse("captions:delete", args=[caption.pk]), {"next": back}
            )
        captions.append(entry)
    return {
        "renditions": renditions,
        "captions": captions,
        "show_log": may_read_processing_log(request.user),
        "no_renditions_message": _("None yet: they appear once the processing has finished."),
    }
