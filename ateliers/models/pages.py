"""The page tree of the e-ateliers: index → atelier → steps."""

from django.db import models
from django.db.models import F, Func, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.modules import LearningModule, ModuleProgress, ModuleStatus, ReviewItem

from ..blocks import EXERCISE_TYPES, AtelierStreamBlock


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
        from .work import Answer, Submission

        pairs = set(pairs)
        if not pairs:
            return {}
        seekers = {seeker for seeker, _page in pairs}
        pages = {page for _seeker, page in pairs}
        latest = Submission.objects.filter(seeker=OuterRef("seeker"), atelier=OuterRef("atelier")).order_by(
            "-number"
        )
        exercises = (
            AtelierStepPage.objects.live()
            .filter(path__startswith=OuterRef("atelier__path"))
            .order_by()
            .annotate(total=Func(F("exercise_count"), function="SUM"))
            .values("total")
        )
        rows = (
            Answer.objects.filter(seeker_id__in=seekers, atelier_id__in=pages)
            .values("seeker_id", "atelier_id")
            .annotate(
                answered=models.Count("pk"),
                total=Subquery(exercises[:1], output_field=models.IntegerField()),
                last_status=Subquery(latest.values("status")[:1]),
                last_submitted=Subquery(latest.values("submitted_at")[:1]),
                last_reviewed=Subquery(latest.values("reviewed_at")[:1]),
            )
            .order_by()
        )
        result = {}
        for row in rows:
            key = (row["seeker_id"], row["atelier_id"])
            if key not in pairs:
                continue
            percent = round(100 * row["answered"] / row["total"]) if row["total"] else 0
            status = {
                "submitted": ModuleStatus.SUBMITTED,
                "to_revise": ModuleStatus.REVIEWED,
                "validated": ModuleStatus.COMPLETED,
            }.get(row["last_status"], ModuleStatus.IN_PROGRESS)
            result[key] = ModuleProgress(
                status=status,
                percent=100 if status == ModuleStatus.COMPLETED else min(percent, 100),
                submitted_at=row["last_submitted"] if status == ModuleStatus.SUBMITTED else None,
                completed_at=row["last_reviewed"] if status == ModuleStatus.COMPLETED else None,
            )
        return result

    @classmethod
    def waiting_for_review(cls, seeker_ids):
        from .work import Submission

        waiting = (
            Submission.objects.filter(seeker_id__in=seeker_ids, status="submitted")
            .select_related("atelier")
            .order_by("submitted_at")
        )
        return [
            ReviewItem(
                seeker_id=submission.seeker_id,
                module=submission.atelier,
                title=str(submission),
                submitted_at=submission.submitted_at,
                url=submission.review_url(),
            )
            for submission in waiting
        ]

    @classmethod
    def feedback_for(cls, seeker):
        from .work import Submission

        reviewed = (
            Submission.objects.filter(seeker=seeker, reviewed_at__isnull=False)
            .select_related("atelier")
            .order_by("-reviewed_at")
        )
        return [
            ReviewItem(
                seeker_id=seeker.pk,
                module=submission.atelier,
                title=str(submission),
                submitted_at=submission.reviewed_at,
                url=submission.atelier.url + submission.atelier.reverse_subpage("submissions"),
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
        return {block.id: block for block in self.body if block.block_type in EXERCISE_TYPES}

    @path("")
    def step(self, request):
        from ..views.work import step

        return step(request, self)

    @re_path(r"^exercices/(?P<exercise_id>[0-9a-f-]{36})/$")
    def save_answer(self, request, exercise_id):
        from ..views.work import save_answer

        return save_answer(request, self, exercise_id)

    @re_path(r"^cv/(?P<exercise_id>[0-9a-f-]{36})/(?P<action>apercu|pdf|texte)/$")
    def cv(self, request, exercise_id, action):
        from ..views.cv import cv_action

        return cv_action(request, self, exercise_id, action)
