"""A lesson's body, rendered once per change of the content and kept in the cache
(courses.cache): every block but the quizzes, which show the seeker's own result."""

from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from media.models import ProcessingStatus

from .. import cache

# How long a lesson body showing a video not ready yet stays cached.
PENDING_VIDEO_TIMEOUT = 60


def _render_body(request, lesson):
    """The lesson's body as segments: ("html", the blocks between two quizzes rendered)
    or ("quiz", block id); and how long they may be cached.

    The blocks are rendered with the request and the page only: what they show must not
    depend on who reads (quizzes, which show the seeker's result, are rendered apart).
    A video not ready yet is kept a minute only: its processing ends with no signal
    when it fails.
    """
    context = {"request": request, "page": lesson, "self": lesson}
    segments, parts, timeout = [], [], cache.TIMEOUT
    for block in lesson.body:
        if block.block_type == "quiz":
            if parts:
                segments.append(("html", mark_safe("".join(parts))))  # noqa: S308 - rendered templates
                parts = []
            segments.append(("quiz", block.id))
            continue
        parts.append(block.render_as_block(context=context))
        if block.block_type == "video":
            asset = block.value.get("video")
            if asset is None or asset.status != ProcessingStatus.READY:
                timeout = PENDING_VIDEO_TIMEOUT
    if parts:
        segments.append(("html", mark_safe("".join(parts))))  # noqa: S308 - rendered templates
    return segments, timeout


def body_segments(request, lesson):
    """_render_body's segments, from the cache (per lesson and language) unless the
    lesson is previewed."""
    if getattr(request, "is_preview", False):
        return _render_body(request, lesson)[0]
    cache_key = cache.key("body", lesson.pk, lesson.live_revision_id, get_language(), request=request)
    segments = cache.fetch(cache_key)
    if segments is None:
        segments, timeout = _render_body(request, lesson)
        cache.store(cache_key, segments, timeout)
    return segments
