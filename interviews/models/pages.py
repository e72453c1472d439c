"""The page tree of the mock interviews: index → interview."""

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts.permissions import is_counsellor
from core.bulk_urls import url_maker
from core.modules import (
    FeedbackItem,
    LearningModule,
    ModuleProgress,
    ModuleStatus,
    ModuleSummary,
    ReviewItem,
    module_pages,
)

from ..blocks import AdviceStreamBlock
from .attempts import Attempt, Decision, attempt_title
from .questions import InterviewQuestion, JobFamily

# The module status of an interview, from the decision on the seeker's latest attempt.
DECISION_STATUS = {
    Decision.VALIDATED: ModuleStatus.COMPLETED,
    Decision.PRACTISE_AGAIN: ModuleStatus.REVIEWED,
}


class InterviewLevel(models.TextChoices):
    FIRST = "first", _("First interviews")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class MockInterviewIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["interviews.MockInterviewPage"]
    max_count = 1

    class Meta:
        verbose_name = _("mock interviews index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["interviews"] = MockInterviewPage.objects.live().child_of(self).order_by("path")
        return context


class MockInterviewPage(LearningModule, RoutablePageMixin, Page):
    """A mock interview: the seeker answers a set of questions on camera, assesses
    themself on a grid, and sends one take per question to their counsellor."""

    module_kind = _("Mock interview")

    job_family = models.CharField(
        _("job family"), max_length=16, choices=JobFamily.choices, default=JobFamily.ALL
    )
    level = models.CharField(
        _("level"), max_length=12, choices=InterviewLevel.choices, default=InterviewLevel.FIRST
    )
    introduction = models.TextField(_("introduction"), max_length=500)
    advice = StreamField(
        AdviceStreamBlock(),
        verbose_name=_("advice"),
        blank=True,
        help_text=_("Posture, soft skills, professional communication: what to work on before recording."),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("estimated duration (minutes)"), default=30)
    # Protected: a set or grid in use cannot be deleted (the admin says where it is used).
    question_set = models.ForeignKey(
        "interviews.QuestionSet",
        verbose_name=_("question set"),
        null=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    rubric = models.ForeignKey(
        "interviews.Rubric",
        verbose_name=_("assessment grid"),
        null=True,
        on_delete=models.PROTECT,
        related_name="interviews",
        help_text=_("The seeker assesses themself on it; the counsellor reviews with it."),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("job_family"), FieldPanel("level"), FieldPanel("duration_minutes")]),
        FieldPanel("introduction"),
        MultiFieldPanel([FieldPanel("question_set"), FieldPanel("rubric")], heading=_("Questions and grid")),
        FieldPanel("advice"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["interviews.MockInterviewIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("mock interview")
        verbose_name_plural = _("mock interviews")

    def questions(self):
        """The questions of the page's set, in order."""
        return InterviewQuestion.objects.filter(question_set_id=self.question_set_id).select_related("video")

    @path("")
    def overview(self, request):
        from ..views import interview_overview

        return interview_overview(request, self)

    # The module-status interface.
    @classmethod
    def progress_for_many(cls, pairs):
        """One query whatever the number of pairs: each pair's latest attempt that counts
        (a take recorded, or sent), with the questions it answered, the number of
        questions of the page's set, and the decision on it if it was reviewed."""
        pairs = set(pairs)
        if not pairs:
            return {}
        seekers = {seeker for seeker, _page in pairs}
        pages = {page for _seeker, page in pairs}
        questions = (
            InterviewQuestion.objects.filter(question_set_id=OuterRef("interview__question_set_id"))
            .order_by()
            .values("question_set_id")
            .annotate(total=Count("pk"))
            .values("total")
        )
        latest = (
            _latest_counted(Attempt.objects.filter(seeker_id__in_ids=seekers, interview_id__in=pages))
            .with_answered()
            .annotate(
                total=Subquery(questions, output_field=models.IntegerField()),
                decision=models.F("review__decision"),
                reviewed_at=models.F("review__created_at"),
            )
            .order_by()
            .values(
                "seeker_id", "interview_id", "submitted_at", "answered", "total", "decision", "reviewed_at"
            )
        )
        result = {}
        for row in latest:
            key = (row["seeker_id"], row["interview_id"])
            if key not in pairs:
                continue
            if row["decision"]:
                status = DECISION_STATUS[row["decision"]]
            elif row["submitted_at"]:
                status = ModuleStatus.SUBMITTED
            else:
                status = ModuleStatus.IN_PROGRESS
            total = row["total"] or 0
            percent = min(round(100 * row["answered"] / total), 100) if total else 0
            result[key] = ModuleProgress(
                status=status,
                percent=100 if status == ModuleStatus.COMPLETED else percent,
                submitted_at=row["submitted_at"] if status == ModuleStatus.SUBMITTED else None,
                completed_at=row["reviewed_at"] if status == ModuleStatus.COMPLETED else None,
            )
        return result

    @classmethod
    def summaries_for(cls, seeker):
        """The interviews the seeker has practised (a take recorded), the most recently
        started first, in three queries (their latest attempts, the pages, the progress)."""
        latest = list(
            _latest_counted(Attempt.objects.filter(seeker=seeker)).values_list("interview_id", "created_at")
        )
        if not latest:
            return []
        pages = cls.objects.live().in_bulk([interview_id for interview_id, _created in latest])
        progress = cls.progress_for_many([(seeker.pk, page_id) for page_id in pages])
        summaries = []
        for interview_id, _created in sorted(latest, key=lambda row: row[1], reverse=True):
            page = pages.get(interview_id)
            if page is None:
                continue
            found = progress.get((seeker.pk, interview_id))
            done = found is not None and found.status != ModuleStatus.IN_PROGRESS
            summaries.append(
                ModuleSummary(
                    module=page,
                    percent=found.percent if found else 0,
                    resume_url=None if done else page.url,
                )
            )
        return summaries

    @classmethod
    def may_review(cls, user):
        # A recording and its review are the seeker's and their counsellor's alone.
        return is_counsellor(user)

    @classmethod
    def waiting_for_review(cls, seeker_ids):
        # A portfolio has a hundred waiting: rows rather than objects, each page loaded
        # once, the URL reversed once.
        rows = (
            Attempt.objects.filter(seeker_id__in_ids=seeker_ids)
            .waiting_for_review()
            .order_by("submitted_at")
            .values_list("pk", "seeker_id", "interview_id", "number", "submitted_at")
        )
        rows = list(rows)
        pages = module_pages({interview_id for _pk, _seeker, interview_id, *_rest in rows})
        review_url = url_maker("interviews:review")
        return [
            ReviewItem(
                seeker_id=seeker_id,
                module=pages[interview_id],
                title=attempt_title(pages[interview_id].title, number),
                submitted_at=submitted_at,
                url=review_url(pk),
            )
            for pk, seeker_id, interview_id, number, submitted_at in rows
        ]

    @classmethod
    def feedback_for(cls, seeker):
        reviewed = (
            Attempt.objects.filter(seeker=seeker, review__isnull=False)
            .exclude(review__decision="")
            .select_related("interview", "review")
            .order_by("-review__created_at")
        )
        return [
            FeedbackItem(
                seeker_id=seeker.pk,
                module=attempt.interview,
                title=str(attempt),
                reviewed_at=attempt.review.created_at,
                url=attempt.seeker_url(),
                review_url=attempt.review_url(),
            )
            for attempt in reviewed
        ]


def _latest_counted(attempts):
    """Of `attempts`, each seeker's latest attempt that counts at each interview (a take
    recorded, or sent), in the same query (a correlated subquery: DISTINCT ON is
    PostgreSQL's alone, and `make run` runs on SQLite)."""
    latest = (
        Attempt.objects.filter(seeker_id=OuterRef("seeker_id"), interview_id=OuterRef("interview_id"))
        .counted()
        .order_by("-number")
        .values("pk")[:1]
    )
    return attempts.counted().filter(pk=Subquery(latest))
