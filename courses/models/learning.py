"""What a seeker does in a course: enrolment, progress per lesson, quiz attempts,
attestation and end-of-course opinion."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Func, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity import log

# A lesson's visit is written when the last one recorded is older than this.
SEEN_PRECISION = timedelta(minutes=5)


class EnrolmentQuerySet(models.QuerySet):
    def enrol(self, seeker, course, *, actor=None, now=None):
        """Enrol `seeker` in `course` (idempotent); returns (enrolment, created).

        `actor` is the counsellor when an assignment enrols the seeker.
        """
        now = now or timezone.now()
        enrolment, created = self.get_or_create(seeker=seeker, course=course, defaults={"enrolled_at": now})
        if created:
            log.record(seeker, "course.enrolled", target=course, actor=actor, when=now)
            # Progress kept from an earlier enrolment counts again.
            Enrolment.objects.filter(pk=enrolment.pk).refresh_counters()
        return enrolment, created

    def refresh_counters(self):
        """Recompute `started_at` and `lessons_done` of these enrolments from their
        lesson progress (after bulk inserts, which skip LessonProgress.save)."""
        from .pages import LessonPage

        progress = LessonProgress.objects.filter(seeker=OuterRef("seeker"), course=OuterRef("course"))
        done = (
            progress.filter(
                completed_at__isnull=False,
                lesson__in=LessonPage.objects.live().filter(required=True).values("pk"),
            )
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        first = progress.order_by().annotate(first=Func(F("first_seen_at"), function="MIN")).values("first")
        return self.update(
            lessons_done=Subquery(done, output_field=models.IntegerField()),
            started_at=Subquery(first, output_field=models.DateTimeField()),
        )


class Enrolment(models.Model):
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seeker"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("MOOC"), on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(_("enrolled on"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed on"), null=True, blank=True)
    # "Resume where I left off".
    last_lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept by LessonProgress.save() so that the counsellor's portfolio reads the progress
    # of thousands of enrolments without counting lesson rows: when the seeker first
    # opened a lesson, and how many required lessons they have done.
    started_at = models.DateTimeField(null=True, blank=True)
    lessons_done = models.PositiveIntegerField(default=0, db_default=0)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["seeker", "course"], name="enrolment_unique")]
        indexes = [models.Index(fields=["course", "completed_at"], name="enrolment_course_done")]

    def __str__(self):
        return f"{self.seeker} → {self.course}"

    def resume_at(self, lesson):
        """Make `lesson` the "resume where I left off" lesson (written when it changes)."""
        if self.last_lesson_id != lesson.pk:
            Enrolment.objects.filter(pk=self.pk).update(last_lesson=lesson)
            self.last_lesson_id = lesson.pk

    def unenrol(self, *, actor=None):
        """Leave the course. Lesson progress is kept, should the seeker come back."""
        log.record(self.seeker, "course.unenrolled", target=self.course, actor=actor)
        self.delete()

    def check_completion(self, *, now=None):
        """Mark the course completed when every required lesson is done (a lesson with a
        quiz is only done once the quiz is passed); issue the attestation."""
        if self.completed_at:
            return False
        from .pages import LessonPage

        required = LessonPage.objects.live().descendant_of(self.course).filter(required=True)
        total = required.count()
        done = LessonProgress.objects.filter(
            seeker=self.seeker, lesson__in=required.values("pk"), completed_at__isnull=False
        ).count()
        if total == 0 or done < total:
            return False
        self.completed_at = now or timezone.now()
        self.save(update_fields=["completed_at"])
        Attestation.objects.issue(self)
        log.record(self.seeker, "course.completed", target=self.course, when=self.completed_at)
        return True


class CompletedBy(models.TextChoices):
    SEEKER = "seeker", _("Marked done by the seeker")
    QUIZ = "quiz", _("Quiz passed")
    VIDEO = "video", _("Video watched")


class LessonProgressQuerySet(models.QuerySet):
    def start(self, seeker, lesson, *, course, now):
        """The seeker's row of `lesson` (in `course`), created, first seen `now`, on the
        first visit."""
        row, _created = self.get_or_create(
            seeker=seeker,
            lesson=lesson,
            defaults={"course": course, "first_seen_at": now, "last_seen_at": now},
        )
        return row


class LessonProgress(models.Model):
    """One row per seeker × lesson, created on the first visit."""

    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="progress")
    # The lesson's course, copied so that progress per course needs no tree walk.
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    video_percent = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.CharField(max_length=8, choices=CompletedBy.choices, blank=True)

    objects = LessonProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["seeker", "lesson"], name="lesson_progress_unique")]
        indexes = [
            models.Index(fields=["seeker", "course"], name="progress_seeker_course"),
            models.Index(fields=["course", "completed_at"], name="progress_course_done"),
        ]

    def __str__(self):
        return f"{self.seeker_id} · {self.lesson_id}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        enrolment = Enrolment.objects.filter(seeker_id=self.seeker_id, course_id=self.course_id)
        if adding:
            enrolment.filter(Q(started_at__isnull=True) | Q(started_at__gt=self.first_seen_at)).update(
                started_at=self.first_seen_at
            )
        if self.completed_at is not None and (
            adding or "completed_at" in (kwargs.get("update_fields") or ["completed_at"])
        ):
            enrolment.refresh_counters()

    @property
    def is_done(self):
        return self.completed_at is not None

    def record_visit(self, now):
        """The seeker opens the lesson at `now`: written only when the visit recorded
        last is older than SEEN_PRECISION."""
        if not now - SEEN_PRECISION < self.last_seen_at <= now:
            LessonProgress.objects.filter(pk=self.pk).update(last_seen_at=now)
            self.last_seen_at = now

    def record_video(self, percent):
        """The seeker watched `percent` (0–100) of the lesson's video: the most is kept."""
        if percent > self.video_percent:
            self.video_percent = percent
            self.save(update_fields=["video_percent"])

    def complete(self, how, *, now=None):
        """Mark the lesson done (once) and log it; returns True if it was not done yet."""
        if self.completed_at:
            return False
        self.completed_at = now or timezone.now()
        self.completed_by = how
        self.save(update_fields=["completed_at", "completed_by"])
        log.record(self.seeker, "course.lesson_done", target=self.lesson, when=self.completed_at, how=how)
        return True


class QuizAttemptQuerySet(models.QuerySet):
    def record(self, seeker, lesson, quiz_id, chosen, result, *, now):
        """Keep and log the attempt of `seeker` at a quiz of `lesson`: `chosen` is
        {question index: set of answer indexes}, `result` its grade (courses.quiz)."""
        attempt = self.create(
            seeker=seeker,
            lesson=lesson,
            quiz_id=quiz_id,
            answers={str(question): sorted(answers) for question, answers in chosen.items()},
            score=result.score,
            passed=result.passed,
            created_at=now,
        )
        verb = "course.quiz_passed" if result.passed else "course.quiz_failed"
        log.record(seeker, verb, target=lesson, when=now, score=result.score)
        return attempt

    def latest_by_quiz(self, seeker, lesson):
        """{quiz id: the latest attempt of `seeker`} at the quizzes of `lesson`."""
        return {
            attempt.quiz_id: attempt
            for attempt in self.filter(seeker=seeker, lesson=lesson).order_by("created_at")
        }

    def passed_quiz_ids(self, seeker, lesson, quiz_ids):
        """Which of `quiz_ids` (quizzes of `lesson`) `seeker` has passed."""
        passed = self.filter(seeker=seeker, lesson=lesson, quiz_id__in=quiz_ids, passed=True)
        return set(passed.values_list("quiz_id", flat=True))


class QuizAttempt(models.Model):
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz_id = models.CharField(max_length=64)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = QuizAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        indexes = [models.Index(fields=["seeker", "lesson", "-created_at"], name="quiz_attempt_latest")]

    def __str__(self):
        return f"{self.seeker_id} · {self.quiz_id} · {self.score} %"

    @property
    def chosen(self):
        """The answers as `QuizAttemptQuerySet.record` was given them: {question index:
        set of answer indexes}."""
        return {int(question): set(answers) for question, answers in self.answers.items()}


def new_verification_code():
    """12 characters without look-alikes (0/O, 1/I/L), grouped for reading aloud."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class AttestationQuerySet(models.QuerySet):
    def issue(self, enrolment):
        seeker, course = enrolment.seeker, enrolment.course
        attestation, _created = self.get_or_create(
            seeker=seeker,
            course=course,
            defaults={
                "seeker_name": str(seeker),
                "course_title": course.title,
                "hours": course.total_hours,
                "completed_on": timezone.localdate(enrolment.completed_at),
            },
        )
        return attestation


class Attestation(models.Model):
    """A completion attestation. Names and figures are copied when it is issued: what
    was attested does not change when the course is edited."""

    code = models.CharField(_("verification code"), max_length=14, unique=True, default=new_verification_code)
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attestations"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.SET_NULL, null=True, related_name="attestations"
    )
    seeker_name = models.CharField(_("name"), max_length=255)
    course_title = models.CharField(_("MOOC"), max_length=255)
    hours = models.PositiveSmallIntegerField(_("hours"))
    completed_on = models.DateField(_("completed on"))
    issued_at = models.DateTimeField(default=timezone.now)

    objects = AttestationQuerySet.as_manager()

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        constraints = [models.UniqueConstraint(fields=["seeker", "course"], name="attestation_unique")]

    def __str__(self):
        return self.code


class SurveyQuerySet(models.QuerySet):
    def answer_of(self, seeker, course):
        """The seeker's answer about `course`, or a new one (not saved yet)."""
        answer = self.filter(course=course, seeker=seeker).first() or self.model()
        answer.course, answer.seeker = course, seeker
        return answer

    def summary_by_course(self):
        """Per course: number of answers, mean rating and count per rating, in one query."""
        counts = {f"rated_{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)}
        return (
            self.values("course_id", "course__title")
            .annotate(answers=Count("pk"), mean=models.Avg("rating"), **counts)
            .order_by("course__title")
        )


class SurveyResponse(models.Model):
    """The end-of-course opinion: one per seeker and course, which they may change."""

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="survey_responses"
    )
    # Kept, without its author, when the seeker deletes their account.
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), choices=[(n, str(n)) for n in range(1, 6)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction survey answer")
        verbose_name_plural = _("satisfaction survey answers")
        constraints = [models.UniqueConstraint(fields=["course", "seeker"], name="survey_one_per_seeker")]

    def __str__(self):
        return f"{self.course_id} · {self.rating}/5"

    def submit(self):
        """Save the seeker's opinion, new or changed, and log it."""
        self.save()
        log.record(self.seeker, "course.survey", target=self.course, rating=self.rating)
