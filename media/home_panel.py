"""The editors' panel on Wagtail's admin home: what in the media library needs them.

* videos used on live pages without published French captions, each with the pages
  that use it and a link to review its automatic draft, or to add captions;
* media that failed processing, with the reason and a link to retry from its page.

Pages waiting in moderation are not listed here: Wagtail's own home panels already show
them ("Awaiting your review" to moderators, "Your pages in a workflow" to whoever
submitted them).

A fixed number of queries whatever the number of videos: the videos are found through
Wagtail's reference index in one query, their drafts and pages in one each.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Prefetch
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component
from wagtail.models import Page, ReferenceIndex

from .captions import REQUIRED_CAPTION_LANGUAGE
from .models import Asset, Caption, ProcessingStatus, TranscriptionStatus
from .permissions import asset_policy, assets_user_may_change

LIMIT = 20  # rows per list; the total is told
PAGES_PER_VIDEO = 3


def live_page_usage():
    """(asset id, page id) rows of the reference index for assets used by live pages."""
    return (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            to_content_type=ContentType.objects.get_for_model(Asset),
        )
        .annotate(asset_id=Cast("to_object_id", IntegerField()), page_id=Cast("object_id", IntegerField()))
        .filter(page_id__in=Page.objects.live().values("pk"))
    )


def videos_without_published_captions(user):
    """Videos on live pages, without published French captions, that `user` may caption;
    each with `french_drafts` (its French draft, if any)."""
    published = Caption.objects.published().filter(language=REQUIRED_CAPTION_LANGUAGE)
    return (
        assets_user_may_change(user)
        .filter(type="video", pk__in=live_page_usage().values("asset_id"))
        .exclude(pk__in=published.values("asset_id"))
        .prefetch_related(
            Prefetch(
                "captions",
                queryset=Caption.objects.drafts().filter(language=REQUIRED_CAPTION_LANGUAGE),
                to_attr="french_drafts",
            )
        )
        .order_by("title", "pk")
    )


def _pages_by_asset(asset_ids):
    rows = live_page_usage().filter(asset_id__in=asset_ids).values_list("asset_id", "page_id").distinct()
    rows = list(rows)
    titles = dict(
        Page.objects.filter(pk__in={page_id for _asset, page_id in rows}).values_list("pk", "title")
    )
    pages = {}
    for asset_id, page_id in sorted(rows, key=lambda row: titles.get(row[1], "")):
        pages.setdefault(asset_id, []).append(
            {"title": titles.get(page_id, ""), "url": reverse("wagtailadmin_pages:edit", args=[page_id])}
        )
    return pages


def _video_entry(video, pages):
    draft = video.french_drafts[0] if video.french_drafts else None
    entry = {
        "asset": video,
        "pages": pages[:PAGES_PER_VIDEO],
        "more_pages": max(0, len(pages) - PAGES_PER_VIDEO),
        "draft": draft,
        "transcribing": draft is None
        and video.transcription_status in (TranscriptionStatus.PENDING, TranscriptionStatus.RUNNING),
    }
    if draft is not None:
        entry["review_url"] = reverse("captions:edit", args=[draft.pk])
    else:
        query = urlencode({"asset": video.pk, "language": REQUIRED_CAPTION_LANGUAGE})
        entry["add_url"] = f"{reverse('captions:add')}?{query}"
    return entry


class MediaToReviewPanel(Component):
    name = "media_to_review"
    template_name = "media/admin/home_panel.html"
    order = 90  # above Wagtail's own panels

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        videos_query = videos_without_published_captions(user)
        videos = list(videos_query[:LIMIT])
        pages = _pages_by_asset([video.pk for video in videos])
        failed_query = assets_user_may_change(user).filter(status=ProcessingStatus.FAILED)
        failed = list(failed_query.order_by("-processing_started_at", "-pk")[:LIMIT])
        return {
            "videos": [_video_entry(video, pages.get(video.pk, [])) for video in videos],
            "videos_total": len(videos) if len(videos) < LIMIT else videos_query.count(),
            "failed": [
                {"asset": asset, "url": reverse("wagtailmedia:edit", args=[asset.pk])} for asset in failed
            ],
            "failed_total": len(failed) if len(failed) < LIMIT else failed_query.count(),
            "captions_url": reverse("captions:index"),
        }


def add_media_panel(request, panels):
    """construct_homepage_panels: for those who may change media (editors)."""
    if asset_policy().user_has_permission(request.user, "change"):
        panels.append(MediaToReviewPanel())
