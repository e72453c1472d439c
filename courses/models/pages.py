"""The page tree of a MOOC: catalogue → course → weeks → lessons."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Func, Q, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from core.modules import LearningModule

from ..blocks import LessonStreamBlock


class CourseTheme(models.Model):
    """A theme of the catalogue ("Projet professionnel", "Candidature", …): a snippet."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("MOOC theme")
        verbose_name_plural = _("MOOC themes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Pacing(models.TextChoices):
    SELF_PACED = "self", _("Self-paced: week N opens N−1 weeks after enrolment")
    SESSION = "session", _("Session: week N opens N−1 weeks after the start date")


# Duration filter of the catalogue: (value, label, lowest hours, highest hours).
DURATIONS = (
    ("short", _("Up to 4 hours"), 0, 4),
    ("medium", _("5 to 8 hours"), 5, 8),
    ("long", _("More than 8 hours"), 9, None),
)


class ViewRestrictionsMixin:
    """Wagtail checks, before serving a page, the view restrictions of the page and of
    its ancestors, which it reads first (a query). When routing found the page in the
    cached course structure (courses.routing), their ids are known already."""

    def get_view_restrictions(self):
        page_ids = getattr(self, "view_restriction_page_ids", None)
        if page_ids is None:
            return super().get_view_restrictions()
        return PageViewRestriction.objects.filter(page_id__in=page_ids)


class CourseIndexPage(ViewRestrictionsMixin, Page):
    """The catalogue of MOOCs, with filters by theme and duration."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("MOOC catalogue")

    def route(self, request, path_components):
        """Courses, weeks and lessons are found in the course's cached structure rather
        than by walking the page tree (courses.routing)."""
        from .. import routing

        if path_components:
            result = routing.route(self, request, path_components)
            if result is not None:
                return result
        elif self.live:
            routing.know_view_restrictions(self, request)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from ..views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, self))
        return context


def _count(queryset):
    """A subquery counting the rows of `queryset` (which refers to OuterRef)."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=models.IntegerField(),
    )


class CoursePage(ViewRestrictionsMixin, LearningModule, RoutablePageMixin, Page):
    """A MOOC: about two hours a week over (usually) four weeks."""

    module_kind = _("MOOC")

    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("Two or three sentences for the catalogue.")
    )
    objectives = RichTextField(_("objectives"), features=["ul", "ol", "bold", "italic"], blank=True)
    audience = models.TextField(_("audience"), blank=True, help_text=_("Who this MOOC is for."))
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    total_hours = models.PositiveSmallIntegerField(_("total hours"), default=8)
    theme = models.ForeignKey(
        CourseTheme,
        verbose_name=_("theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pacing = models.CharField(_("pacing"), max_length=8, choices=Pacing.choices, default=Pacing.SELF_PACED)
    session_start = models.DateField(
        _("session start"), null=True, blank=True, help_text=_("First day of week 1, for a session.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldRowPanel([FieldPanel("audience"), FieldPanel("prerequisites")]),
        FieldRowPanel([FieldPanel("theme"), FieldPanel("total_hours")]),
        FieldPanel("image"),
        MultiFieldPanel([FieldPanel("pacing"), FieldPanel("session_start")], heading=_("Pacing")),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("objectives")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.CourseWeekPage"]

    class Meta:
        verbose_name = _("MOOC")
        verbose_name_plural = _("MOOCs")

    def clean(self):
        super().clean()
        if self.pacing == Pacing.SESSION and not self.session_start:
            raise ValidationError({"session_start": _("A course run in sessions needs a start date.")})

    # Routes: the outline, then the seeker's actions on it.
    @path("")
    def outline(self, request):
        from ..views import course_outline

        return course_outline(request, self)

    @path("inscription/")
    def enrol(self, request):
        from ..views import enrol

        return enrol(request, self)

    @path("desinscription/")
    def unenrol(self, request):
        from ..views import unenrol

        return unenrol(request, self)

    @path("attestation/")
    def attestation(self, request):
        from ..views import attestation_pdf

        return attestation_pdf(request, self)

    @path("avis/")
    def survey(self, request):
        from ..views import survey

        return survey(request, self)

    # The module-status interface.
    def on_assigned(self, seeker, *, actor, when=None):
        from .learning import Enrolment

        Enrolment.objects.enrol(seeker, self, actor=actor, now=when)

    @classmethod
    def progress_for_many(cls, pairs):
        from ..progress import progress_for_many

        return progress_for_many(pairs)

    @classmethod
    def summaries_for(cls, seeker):
        from ..outline import module_summaries

        return module_summaries(seeker)

    @classmethod
    def satisfaction_between(cls, since, until, seekers):
        from .learning import SurveyResponse

        rows = (
            SurveyResponse.objects.filter(created_at__gte=since, created_at__lt=until, seeker__in=seekers)
            .values("course_id", "course__title")
            .order_by()
            .annotate(answers=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=4)))
        )
        return {row["course_id"]: (row["course__title"], row["answers"], row["satisfied"]) for row in rows}


class CourseWeekPage(ViewRestrictionsMixin, Page):
    """One week of a course: goals, then its lessons."""

    number = models.PositiveSmallIntegerField(_("week number"), default=1)
    goals = RichTextField(_("goals of the week"), features=["ul", "ol", "bold", "italic"], blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated time (minutes)"), default=120, help_text=_("About two hours a week.")
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("number"), FieldPanel("estimated_minutes")]),
        FieldPanel("goals"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("MOOC week")
        verbose_name_plural = _("MOOC weeks")

    def serve(self, request, *args, **kwargs):
        from ..views import week

        return week(request, self)


class LessonPage(ViewRestrictionsMixin, RoutablePageMixin, Page):
    """A lesson: text, videos, quizzes, resources and exercises."""

    body = StreamField(LessonStreamBlock(), verbose_name=_("content"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=20)
    required = models.BooleanField(
        _("required for the attestation"),
        default=True,
        help_text=_("A lesson with a quiz is always required: its quiz must be passed."),
    )
    # Set from the body on save: the outline shows it and a lesson with a quiz is done
    # only once the quiz is passed.
    has_quiz = models.BooleanField(default=False, editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required")]),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.CourseWeekPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def save(self, *args, **kwargs):
        self.has_quiz = any(block.block_type == "quiz" for block in self.body)
        if self.has_quiz:
            self.required = True
        return super().save(*args, **kwargs)

    def quizzes(self):
        """{block id: quiz value} of this lesson's quizzes (only the quiz blocks are read:
        the other blocks' database lookups, videos for instance, are not made)."""
        return {block.id: block.value for block in self.body.blocks_by_name("quiz")}

    @path("")
    def lesson(self, request):
        from ..views import lesson

        return lesson(request, self)

    @path("terminee/")
    def mark_done(self, request):
        from ..views import mark_done

        return mark_done(request, self)

    @re_path(r"^quiz/(?P<quiz_id>[0-9a-f-]{36})/$")
    def quiz(self, request, quiz_id):
        from ..views import submit_quiz

        return submit_quiz(request, self, quiz_id)

    @path("video/")
    def video(self, request):
        from ..views import video_progress

        return video_progress(request, self)
