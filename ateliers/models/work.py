"""What a seeker does in an atelier: answers (drafts saved as they type), CV exports
and submissions with their review. A submission holds a frozen copy of the answers:
once sent, it cannot change."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.private_media import PrivateUploadTo, private_storage

from ..blocks import exercise_kind_choices


class Answer(models.Model):
    """The seeker's current answer to one exercise (its draft until they submit)."""

    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="atelier_answers"
    )
    atelier = models.ForeignKey("ateliers.AtelierPage", on_delete=models.CASCADE, related_name="answers")
    step = models.ForeignKey("ateliers.AtelierStepPage", on_delete=models.CASCADE, related_name="answers")
    exercise_id = models.CharField(max_length=36)
    # The exercise's kind: its block's name in AtelierStreamBlock (a callable, so that
    # adding a kind needs no migration).
    kind = models.CharField(max_length=12, choices=exercise_kind_choices)
    # Free text: sanitised HTML. Other kinds: `data` (ticked items, chosen answers, the CV).
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Indexed: a file request looks its owner up by name (ateliers/private_files.py).
    file = models.FileField(
        storage=private_storage, upload_to=PrivateUploadTo("ateliers"), blank=True, db_index=True
    )
    file_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("e-atelier answer")
        verbose_name_plural = _("e-atelier answers")
        constraints = [
            models.UniqueConstraint(fields=["seeker", "exercise_id"], name="answer_one_per_exercise")
        ]
        indexes = [models.Index(fields=["seeker", "atelier"], name="answer_seeker_atelier")]

    def __str__(self):
        return f"{self.seeker_id} · {self.exercise_id}"


class CVTemplate(models.TextChoices):
    CLASSIC = "classic", _("Classic")
    MODERN = "modern", _("Modern")


class CVExport(models.Model):
    """One exported version of the seeker's CV: the PDF and its plain-text twin."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cv_exports")
    answer = models.ForeignKey(Answer, on_delete=models.SET_NULL, null=True, related_name="exports")
    version = models.PositiveIntegerField(_("version"))
    template = models.CharField(_("template"), max_length=10, choices=CVTemplate.choices)
    pdf = models.FileField(storage=private_storage, upload_to=PrivateUploadTo("ateliers"), db_index=True)
    text = models.TextField(_("plain text"))
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("CV version")
        verbose_name_plural = _("CV versions")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["seeker", "version"], name="cv_export_version")]

    def __str__(self):
        return f"CV v{self.version}"


def submission_title(atelier_title, number):
    """How a submission is named in lists: the atelier's title and the sending's number."""
    return f"{atelier_title} (n° {number})"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    TO_REVISE = "to_revise", _("To revise")
    VALIDATED = "validated", _("Validated")


class SubmissionQuerySet(models.QuerySet):
    def latest_for(self, seeker, atelier):
        return self.filter(seeker=seeker, atelier=atelier).order_by("-number").first()

    def is_waiting(self, seeker, atelier):
        """True while the seeker's latest submission waits for review: their answers are
        then read-only, so the counsellor reads what was sent."""
        latest = self.latest_for(seeker, atelier)
        return latest is not None and latest.is_waiting


class Submission(models.Model):
    """One sending of an atelier for review, with the counsellor's answer. Kept as history:
    the seeker's answers are copied into `snapshot` and never change afterwards."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    atelier = models.ForeignKey("ateliers.AtelierPage", on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(_("number"))
    submitted_at = models.DateTimeField(_("sent on"), default=timezone.now)
    # {exercise id: {"kind", "title", "step", "text", "data", "file", "file_name"}}, in page order.
    snapshot = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    # Sanitised HTML: overall, and {exercise id: html} per exercise.
    feedback = models.TextField(_("feedback"), blank=True)
    exercise_feedback = models.JSONField(default=dict, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-atelier submission")
        verbose_name_plural = _("e-atelier submissions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "atelier", "number"], name="submission_number"),
        ]
        indexes = [models.Index(fields=["seeker", "status", "submitted_at"], name="submission_waiting")]

    def __str__(self):
        return submission_title(self.atelier.title, self.number)

    def save(self, *args, **kwargs):
        """Save; a new submission also records the files it froze (SubmittedFile)."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            SubmittedFile.objects.bulk_create(
                SubmittedFile(name=name, seeker_id=self.seeker_id, submission=self)
                for name in sorted(self.frozen_files())
            )

    @property
    def is_waiting(self):
        return self.status == SubmissionStatus.SUBMITTED

    @property
    def is_validated(self):
        return self.status == SubmissionStatus.VALIDATED

    @property
    def is_to_revise(self):
        return self.status == SubmissionStatus.TO_REVISE

    def frozen_files(self):
        """The stored names of the files this submission froze (uploaded documents)."""
        return {
            item["file"] for item in self.snapshot.values() if isinstance(item, dict) and item.get("file")
        }

    def review_url(self):
        return reverse("ateliers:review", kwargs={"submission_id": self.pk})


class SubmittedFile(models.Model):
    """A file a submission froze, recorded when the submission is created.

    A seeker may replace a file they sent; the submission still shows it, so it stays
    theirs. Its owner is read from these rows (ateliers/private_files.py), never by
    searching the snapshots' text: a name written in someone else's answer proves
    nothing.
    """

    name = models.CharField(max_length=255, db_index=True)
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = _("file sent for review")
        verbose_name_plural = _("files sent for review")
        constraints = [models.UniqueConstraint(fields=["submission", "name"], name="submitted_file_once")]

    def __str__(self):
        return self.name
