"""The page tree of the e-ateliers: index → atelier → steps."""

from django.db import models
from django.db.models import F, Func, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.bulk_urls import url_maker
from core.modules import FeedbackItem, LearningModule, ModuleProgress, ModuleStatus, ReviewItem, module_pages
from core.request_limits import accepts_uploads

from ..blocks import AtelierStreamBlock, ExerciseBlock
from ..uploads import max_upload_bytes
from .work import Answer, Submission, SubmissionStatus, submission_title

# The module status of an atelier, from the status of the seeker's latest submission
# (answers without any submission: in progress).
SUBMISSION_STATUS = {
    SubmissionStatus.SUBMITTED: ModuleStatus.SUBMITTED,
    SubmissionStatus.TO_REVISE: ModuleStatus.REVIEWED,
    SubmissionStatus.VALIDATED: ModuleStatus.COMPLETED,
}


class AtelierKind(models.TextChoices):
    CV = "cv", _("CV")
    SOCIAL = "social", _("Social networks")
    OTHER = "other", _("Other")


class AtelierIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["ateliers.AtelierPage"]
    max_count = 1

    class Meta:
        verbose_name = _("e-ateliers index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ateliers"] = AtelierPage.objects.live().child_of(self).order_by("path")
        return context


class AtelierPage(LearningModule, RoutablePageMixin, Page):
    """A guided workshop done at home, ending with work a counsellor reviews."""

    module_kind = _("E-atelier")

    kind = models.CharField(_("kind"), max_length=8, choices=AtelierKind.choices, default=AtelierKind.OTHER)
    summary = models.TextField(_("summary"), max_length=500)
    objectives = RichTextField(_("objectives"), features=["ul", "ol", "bold", "italic"], blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    audience = models.TextField(_("audience"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("duration_minutes")]),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("audience"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["ateliers.AtelierIndexPage"]
    subpage_types = ["ateliers.AtelierStepPage"]

    class Meta:
        verbose_name = _("e-atelier")
        verbose_name_plural = _("e-ateliers")

    def steps(self):
        return AtelierStepPage.objects.live().child_of(self).order_by("path")

    @path("")
    def overview(self, request):
        from ..views.work import atelier_overview

        return atelier_overview(request, self)

    @path("envoyer/")
    def submit(self, request):
        from ..views.reviews import submit

        return submit(request, self)

    # Named route: `submissions` is also the reverse accessor of Submission.atelier.
    @path("envois/", name="submissions")
    def submissions_page(self, request):
        from ..views.reviews import my_submissions

        return my_submissions(request, self)

    # The module-status interface.
    @classmethod
    def progress_for_many(cls, pairs):
        """Three queries whatever the number of pairs: the exercises of each atelier
        (counted once per atelier, not once per answer), the answers counted per seeker
        and atelier, and the submissions (a seeker's latest one gives the status)."""
        pairs = set(pairs)
        if not pairs:
            return {}
        seekers = {seeker for seeker, _page in pairs}
        pages = {page for _seeker, page in pairs}
        exercises = (
            AtelierStepPage.objects.live()
            .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
            .order_by()
            .annotate(total=Func(F("exercise_count"), function="SUM"))
            .values("total")
        )
        totals = dict(
            cls.objects.filter(pk__in=pages)
            .annotate(total=Subquery(exercises[:1], output_field=models.IntegerField()))
            .values_list("pk", "total")
        )
        answered = {
            (seeker_id, atelier_id): count
            for seeker_id, atelier_id, count in Answer.objects.filter(
                seeker_id__in_ids=seekers, atelier_id__in=pages
            )
            .values("seeker_id", "atelier_id")
            .annotate(count=models.Count("pk"))
            .values_list("seeker_id", "atelier_id", "count")
            .order_by()
        }
        # (number, status, submitted_at, reviewed_at) of each pair's latest submission.
        latest = {}
        for seeker_id, atelier_id, *submission in Submission.objects.filter(
            seeker_id__in_ids=seekers, atelier_id__in=pages
        ).values_list("seeker_id", "atelier_id", "number", "status", "submitted_at", "reviewed_at"):
            key = (seeker_id, atelier_id)
            if key not in latest or submission[0] > latest[key][0]:
                latest[key] = submission
        result = {}
        for key in (answered.keys() | latest.keys()) & pairs:
            total = totals.get(key[1])
            percent = min(round(100 * answered.get(key, 0) / total), 100) if total else 0
            _number, status, submitted_at, reviewed_at = latest.get(key, (None, None, None, None))
            status = SUBMISSION_STATUS.get(status, ModuleStatus.IN_PROGRESS)
            result[key] = ModuleProgress(
                status=status,
                percent=100 if status == ModuleStatus.COMPLETED else percent,
                submitted_at=submitted_at if status == ModuleStatus.SUBMITTED else None,
                completed_at=reviewed_at if status == ModuleStatus.COMPLETED else None,
            )
        return result

    @classmethod
    def waiting_for_review(cls, seeker_ids):
        # A portfolio has a hundred waiting: rows rather than objects, each page loaded
        # once, the URL reversed once.
        rows = list(
            Submission.objects.filter(seeker_id__in_ids=seeker_ids, status=SubmissionStatus.SUBMITTED)
            .order_by("submitted_at")
            .values_list("pk", "seeker_id", "atelier_id", "number", "submitted_at")
        )
        pages = module_pages({atelier_id for _pk, _seeker, atelier_id, *_rest in rows})
        review_url = url_maker("ateliers:review")
        return [
            ReviewItem(
                seeker_id=seeker_id,
                module=pages[atelier_id],
                title=submission_title(pages[atelier_id].title, number),
                submitted_at=submitted_at,
                url=review_url(pk),
            )
            for pk, seeker_id, atelier_id, number, submitted_at in rows
        ]

    @classmethod
    def feedback_for(cls, seeker):
        reviewed = (
            Submission.objects.filter(seeker=seeker, reviewed_at__isnull=False)
            .select_related("atelier")
            .order_by("-reviewed_at")
        )
        return [
            FeedbackItem(
                seeker_id=seeker.pk,
                module=submission.atelier,
                title=str(submission),
                reviewed_at=submission.reviewed_at,
                url=submission.atelier.url + submission.atelier.reverse_subpage("submissions"),
                review_url=submission.review_url(),
            )
            for submission in reviewed
        ]


class AtelierStepPage(RoutablePageMixin, Page):
    """One step of an atelier: content, then exercises whose answers save as drafts."""

    body = StreamField(AtelierStreamBlock(), verbose_name=_("content"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=15)
    # Set from the body on save: progress counts answered exercises out of these.
    exercise_count = models.PositiveSmallIntegerField(default=0, editable=False)

    content_panels = Page.content_panels + [FieldPanel("estimated_minutes"), FieldPanel("body")]
    parent_page_types = ["ateliers.AtelierPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("e-atelier step")
        verbose_name_plural = _("e-atelier steps")

    def save(self, *args, **kwargs):
        self.exercise_count = len(self.exercises())
        return super().save(*args, **kwargs)

    def exercises(self):
        """{block id: block} of this step's exercises, in order."""
        return {block.id: block for block in self.body if isinstance(block.block, ExerciseBlock)}

    @path("")
    def step(self, request):
        from ..views.work import step

        return step(request, self)

    @re_path(r"^exercices/(?P<exercise_id>[0-9a-f-]{36})/$")
    @accepts_uploads(max_bytes=max_upload_bytes)  # the file exercise posts here
    def save_answer(self, request, exercise_id):
        from ..views.work import save_answer

        return save_answer(request, self, exercise_id)

    @re_path(r"^cv/(?P<exercise_id>[0-9a-f-]{36})/(?P<action>apercu|pdf|texte)/$")
    def cv(self, request, exercise_id, action):
        from ..views.cv import cv_action

        return cv_action(request, self, exercise_id, action)
