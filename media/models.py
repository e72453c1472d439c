"""Video and audio assets, and what the processing pipeline makes of them.

An editor uploads an original through wagtailmedia's library; `media.jobs` probes it
with ffprobe and, in one ffmpeg process, writes the renditions (360p and 720p MP4,
audio-only, poster) that the player serves. The original is kept.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtailmedia.models import AbstractMedia

ALLOWED_UPLOAD_EXTENSIONS = {"mp4", "m4v", "mov", "webm", "mkv", "ogg", "ogv", "oga", "opus", "m4a"}


def generated_name(folder, client_name, *, default_extension="upload"):
    """A fresh name under `folder`: never the client's file name (a name such as
    "-i.mp4" or "../../x.mp4" must mean nothing to ffmpeg or to the storage)."""
    extension = PurePosixPath(str(client_name)).suffix.lower().lstrip(".")
    if extension not in ALLOWED_UPLOAD_EXTENSIONS:
        extension = default_extension
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def original_upload_to(instance, filename):
    return generated_name("media/originals", filename)


def caption_upload_to(instance, filename):
    return f"media/captions/{uuid.uuid4().hex}.vtt"


class ProcessingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class TranscriptionStatus(models.TextChoices):
    """Where the automatic draft captions of a video stand (media.draft_captions)."""

    NONE = "", _("Not asked")
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Transcribing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CaptionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft to review")
    PUBLISHED = "published", _("Published")


class Rendition(models.TextChoices):
    """The files the pipeline makes of every original, by the field that stores them."""

    VIDEO_360 = "rendition_360", _("Video, 360p")
    VIDEO_720 = "rendition_720", _("Video, 720p")
    AUDIO = "rendition_audio", _("Audio only")
    POSTER = "poster", _("Poster image")


class AssetQuerySet(models.QuerySet):
    def stuck(self, *, now, older_than):
        """Assets left "processing" by a worker that died: no progress since `older_than`."""
        return self.filter(status=ProcessingStatus.PROCESSING, processing_started_at__lt=now - older_than)

    def stuck_transcribing(self, *, now, older_than):
        """Assets left "transcribing" by a worker that died."""
        return self.filter(
            transcription_status=TranscriptionStatus.RUNNING, transcription_started_at__lt=now - older_than
        )


class Asset(AbstractMedia):
    """A video or audio file of the media library, with its renditions and captions."""

    file = models.FileField(_("file"), upload_to=original_upload_to)
    status = models.CharField(
        _("status"), max_length=12, choices=ProcessingStatus, default=ProcessingStatus.PENDING, db_index=True
    )
    # Readable by editors; never shows ffmpeg's output.
    failure_reason = models.CharField(_("reason of the failure"), max_length=255, blank=True)
    # ffmpeg's stderr of the last run, for administrators only.
    processing_log = models.TextField(_("processing log"), blank=True)
    processing_started_at = models.DateTimeField(_("processing started at"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    container = models.CharField(_("container"), max_length=64, blank=True)
    rendition_360 = models.FileField(_("360p video"), upload_to="media/renditions", blank=True)
    rendition_720 = models.FileField(_("720p video"), upload_to="media/renditions", blank=True)
    rendition_audio = models.FileField(_("audio only"), upload_to="media/renditions", blank=True)
    poster = models.FileField(_("poster"), upload_to="media/posters", blank=True)
    # The automatic draft captions (speech to text), see media.draft_captions.
    transcription_status = models.CharField(
        _("automatic captions"),
        max_length=8,
        choices=TranscriptionStatus,
        default="",
        blank=True,
        db_index=True,
    )
    transcription_started_at = models.DateTimeField(_("transcription started at"), null=True, blank=True)
    transcription_attempts = models.PositiveSmallIntegerField(_("transcription attempts"), default=0)
    transcription_failure = models.CharField(_("reason the transcription failed"), max_length=255, blank=True)

    # Duration, size and thumbnail are filled in by the pipeline, not typed by hand.
    admin_form_fields = ("title", "file", "collection", "tags")

    objects = AssetQuerySet.as_manager()

    class Meta(AbstractMedia.Meta):
        verbose_name = _("video or audio")
        verbose_name_plural = _("videos and audio")

    @property
    def job_id(self):
        """The one RQ job id of this asset: a second enqueue finds the first."""
        return f"media-asset-{self.pk}"

    @property
    def transcription_job_id(self):
        """The one RQ job id of this asset's automatic captions."""
        return f"media-transcription-{self.pk}"

    @property
    def is_ready(self):
        return self.status == ProcessingStatus.READY

    def rendition_files(self):
        """The stored files the pipeline made, by kind (only those that exist)."""
        return {kind: getattr(self, kind) for kind in Rendition.values if getattr(self, kind)}

    def caption_for(self, language):
        return next((caption for caption in self.captions.all() if caption.language == language), None)

    def has_caption(self, language):
        return self.caption_for(language) is not None

    def published_captions(self):
        """The captions visitors may see (drafts are for editors): from
        `captions.all()`, so a prefetch serves them."""
        return [caption for caption in self.captions.all() if caption.is_published]

    def mark_processing(self, *, now=None):
        self.status = ProcessingStatus.PROCESSING
        self.processing_started_at = now or timezone.now()
        self.attempts += 1
        self.failure_reason = ""
        self.save(update_fields=["status", "processing_started_at", "attempts", "failure_reason"])


class CaptionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaptionStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=CaptionStatus.DRAFT)


class Caption(models.Model):
    """A WebVTT captions file for one asset in one language.

    An automatic draft (speech to text) is for editors only until one publishes it;
    a caption an editor uploads is published at once.
    """

    asset = models.ForeignKey(
        Asset, verbose_name=_("video"), on_delete=models.CASCADE, related_name="captions"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    file = models.FileField(_("WebVTT file"), upload_to=caption_upload_to)
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaptionStatus, default=CaptionStatus.PUBLISHED, db_index=True
    )
    # Written by speech to text and not changed by an editor since: the only kind of
    # caption a new automatic transcription may replace.
    automatic = models.BooleanField(_("automatic"), default=False)

    objects = CaptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("captions")
        verbose_name_plural = _("captions")
        ordering = ["asset", "language"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "language"], name="media_caption_one_per_language"),
        ]

    def __str__(self):
        return f"{self.asset} ({self.get_language_display()})"

    @property
    def is_published(self):
        return self.status == CaptionStatus.PUBLISHED

    @property
    def is_draft(self):
        return self.status == CaptionStatus.DRAFT
