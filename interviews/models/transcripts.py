"""The transcript of a take (personal data, read like the recording)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranscriptStatus(models.TextChoices):
    PENDING = "pending", _("Being transcribed")
    DONE = "done", _("Transcribed")
    FAILED = "failed", _("Transcription failed")


class TakeTranscript(models.Model):
    """What the speech-to-text engine heard in a take, with word timings, and the
    measures only a transcript gives: words per minute of speaking time and filler
    words. The seeker may correct the text (`corrected_text`); the timings stay the
    engine's. Goes with its take (deleted, or its files deleted by retention)."""

    take = models.OneToOneField("interviews.Take", on_delete=models.CASCADE, related_name="transcript")
    status = models.CharField(
        max_length=8, choices=TranscriptStatus.choices, default=TranscriptStatus.PENDING
    )
    language = models.CharField(max_length=8, default="fr")
    text = models.TextField(_("transcript"), blank=True)
    # [[word, start, end], …]: seconds from the start of the recording.
    words = models.JSONField(default=list, blank=True)
    corrected_text = models.TextField(_("corrected transcript"), blank=True, max_length=20000)
    words_per_minute = models.FloatField(_("words per minute"), null=True, blank=True)
    fillers = models.JSONField(_("filler words"), default=dict, blank=True)
    failure = models.TextField(blank=True)
    # Jobs started for it: one that keeps killing workers is given up (the reconciler).
    attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self):
        return f"{self.take_id} · {self.status}"

    @property
    def filler_count(self):
        return sum(self.fillers.values())
