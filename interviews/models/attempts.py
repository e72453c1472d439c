"""What a seeker does in a mock interview (personal data): attempts, the takes recorded
for each question, and the counsellor's review with comments pinned to a take's time.

An attempt is one run through the questions: the seeker records takes (several per
question if they like), assesses themself on the grid, then sends it with one chosen
take per question. Earlier attempts stay as history. Recordings live in the private
storage (`core.private_media`, prefix "interviews"); who may read them is decided in
`interviews/private_files.py`. The module status is derived from these rows
(MockInterviewPage.progress_for_many), never stored.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.private_media import PrivateUploadTo, private_storage
from media.models import ProcessingStatus


def attempt_title(interview_title, number):
    """How an attempt is named in lists: the interview's title and the attempt's number."""
    return f"{interview_title} (n° {number})"


class Decision(models.TextChoices):
    VALIDATED = "validated", _("Validated")
    PRACTISE_AGAIN = "practise", _("Practise again")


class AttemptQuerySet(models.QuerySet):
    def counted(self):
        """Attempts that say something about the seeker's progress: sent, or with at
        least one take (an attempt opened and left empty does not)."""
        return self.filter(
            Q(submitted_at__isnull=False) | Exists(Take.objects.filter(attempt=OuterRef("pk")))
        )

    def with_answered(self):
        """Annotate `answered`: the number of questions with at least one take."""
        answered = (
            Take.objects.filter(attempt=OuterRef("pk"))
            .order_by()
            .values("attempt_id")
            .annotate(count=Count("position", distinct=True))
            .values("count")
        )
        return self.annotate(
            answered=models.functions.Coalesce(Subquery(answered, output_field=models.IntegerField()), 0)
        )

    def waiting_for_review(self):
        """Sent and not reviewed yet (a review being written, comments and no decision
        yet, still waits: interviews.reviews)."""
        # The decision read by a subquery per sent attempt, through the review's unique
        # index: a join let PostgreSQL read every review of the country to find the few
        # of a portfolio.
        decision = Subquery(Review.objects.filter(attempt=OuterRef("pk")).values("decision")[:1])
        return (
            self.filter(submitted_at__isnull=False)
            .alias(decision_given=Coalesce(decision, Value("")))
            .filter(decision_given="")
        )

    def start(self, seeker, interview, *, now=None):
        """The seeker's open attempt at `interview` (not sent yet), or a new one numbered
        after the last. Two requests at once (two tabs) get the same attempt: the second
        insert breaks the unique number and then finds the first one's."""
        for _try in range(2):
            current = self.filter(seeker=seeker, interview=interview).order_by("-number").first()
            if current is not None and current.submitted_at is None:
                return current
            try:
                with transaction.atomic():
                    return self.create(
                        seeker=seeker,
                        interview=interview,
                        number=current.number + 1 if current else 1,
                        created_at=now or timezone.now(),
                    )
            except IntegrityError:
                continue
        raise IntegrityError("Could not number the attempt.")


class Attempt(models.Model):
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_attempts"
    )
    interview = models.ForeignKey(
        "interviews.MockInterviewPage", on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("started on"), default=timezone.now)
    submitted_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    # {criterion id (str): level 1-4}, on the page's grid.
    self_assessment = models.JSONField(_("self-assessment"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("mock interview attempt")
        verbose_name_plural = _("mock interview attempts")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "interview", "number"], name="attempt_number"),
        ]
        indexes = [
            # The review queue: a portfolio's sent attempts, oldest first.
            models.Index(
                fields=["seeker", "submitted_at"],
                name="attempt_sent",
                condition=Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self):
        return attempt_title(self.interview.title, self.number)

    @property
    def is_sent(self):
        return self.submitted_at is not None

    def review_url(self):
        """Where the counsellor reviews the attempt."""
        return reverse("interviews:review", args=[self.pk])

    def seeker_url(self):
        """Where the seeker watches their attempt (and reads its review)."""
        return reverse("interviews:attempt", args=[self.pk])


class Take(models.Model):
    """One recording of an answer to a question.

    The upload fills `recording` (the browser's file as received); the feedback job
    fills `remuxed` (the same streams, made seekable), `measures` and `duration`, then
    `rendition` (an H.264/AAC MP4) and `poster`, moving `status` along. `chosen` marks
    the take sent to the counsellor for its question (one per question at most): the
    other takes are the seeker's alone.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="takes")
    # The question may later be edited out of its set: the take keeps its place and text.
    question = models.ForeignKey(
        "interviews.InterviewQuestion", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("question number"))
    question_text = models.TextField(_("question"))
    number = models.PositiveSmallIntegerField(_("take"))
    created_at = models.DateTimeField(_("recorded on"), default=timezone.now)
    # Indexed: a file request looks its take up by name (interviews/private_files.py).
    recording = models.FileField(
        _("recording"),
        storage=private_storage,
        upload_to=PrivateUploadTo("interviews"),
        blank=True,
        db_index=True,
    )
    status = models.CharField(
        _("processing"), max_length=10, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    error = models.TextField(_("processing error"), blank=True)
    remuxed = models.FileField(
        storage=private_storage, upload_to=PrivateUploadTo("interviews"), blank=True, db_index=True
    )
    rendition = models.FileField(
        storage=private_storage, upload_to=PrivateUploadTo("interviews"), blank=True, db_index=True
    )
    poster = models.FileField(
        storage=private_storage, upload_to=PrivateUploadTo("interviews"), blank=True, db_index=True
    )
    # media.measures.DeliveryMeasures, as a dict.
    measures = models.JSONField(_("measures"), default=dict, blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    chosen = models.BooleanField(_("sent for this question"), default=False)
    # Set when the files are deleted (retention): measures and comments stay.
    files_deleted_at = models.DateTimeField(_("video deleted on"), null=True, blank=True)

    FILE_FIELDS = ("recording", "remuxed", "rendition", "poster")

    class Meta:
        verbose_name = _("mock interview take")
        verbose_name_plural = _("mock interview takes")
        ordering = ["position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position", "number"], name="take_number"),
            models.UniqueConstraint(
                fields=["attempt", "position"], condition=Q(chosen=True), name="take_one_chosen_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.position}.{self.number}"

    def stored_names(self):
        """The names of this take's files in the private storage."""
        return [getattr(self, field).name for field in self.FILE_FIELDS if getattr(self, field)]


class Review(models.Model):
    """The counsellor's answer to a sent attempt: the grid scored, overall advice, a
    decision, and comments pinned to times of the takes (ReviewComment)."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="review")
    # The review stays the seeker's when the counsellor's account goes.
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # {criterion id (str): level 1-4}, on the page's grid.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    advice = models.TextField(_("overall advice"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    created_at = models.DateTimeField(_("reviewed on"), default=timezone.now)

    class Meta:
        verbose_name = _("mock interview review")
        verbose_name_plural = _("mock interview reviews")

    def __str__(self):
        return f"{self.attempt_id}: {self.decision}"

    @property
    def is_given(self):
        """False while the counsellor writes it (comments saved, no decision yet): the
        seeker sees a review only once it is given."""
        return bool(self.decision)


class ReviewComment(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    take = models.ForeignKey(Take, on_delete=models.CASCADE, related_name="comments")
    at_seconds = models.FloatField(_("at (seconds)"), validators=[MinValueValidator(0)])
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["take", "at_seconds"]

    def __str__(self):
        return f"{self.take} @ {self.at_seconds:.1f} s"
