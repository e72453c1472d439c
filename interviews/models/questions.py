"""What an interview is made of, shared by many interview pages: question sets and
rubrics (Wagtail snippets; editors reuse one set or grid across pages)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtailmedia.edit_handlers import MediaChooserPanel


class JobFamily(models.TextChoices):
    ALL = "all", _("Any job")
    SALES = "sales", _("Retail and sales")
    LOGISTICS = "logistics", _("Logistics and transport")
    CARE = "care", _("Health and care")
    HOSPITALITY = "hospitality", _("Hotels and catering")
    OFFICE = "office", _("Office and reception")
    INDUSTRY = "industry", _("Building and industry")


class QuestionSet(ClusterableModel):
    """The questions of an interview, in order, for a job family."""

    title = models.CharField(_("title"), max_length=200)
    job_family = models.CharField(
        _("job family"), max_length=16, choices=JobFamily.choices, default=JobFamily.ALL
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("job_family")]),
        InlinePanel("questions", label=_("Questions"), min_num=1),
    ]

    class Meta:
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        ordering = ["title"]

    def __str__(self):
        return self.title


class InterviewQuestion(Orderable):
    """One question of a set, with what helps the seeker answer it."""

    question_set = ParentalKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"), max_length=500)
    looks_for = models.TextField(
        _("what a recruiter looks for"),
        blank=True,
        help_text=_("Shown to the seeker after they answer, and to the counsellor."),
    )
    tips = models.TextField(_("tips"), blank=True)
    think_seconds = models.PositiveSmallIntegerField(
        _("think time (seconds)"), default=30, validators=[MaxValueValidator(300)]
    )
    answer_seconds = models.PositiveSmallIntegerField(
        _("maximum answer length (seconds)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(600)],
    )
    video = models.ForeignKey(
        "media.Asset",
        verbose_name=_("video of a recruiter asking it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: from the media library, with its captions."),
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("looks_for"),
        FieldPanel("tips"),
        FieldRowPanel([FieldPanel("think_seconds"), FieldPanel("answer_seconds")]),
        MediaChooserPanel("video", media_type="video"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("interview question")
        verbose_name_plural = _("interview questions")

    def __str__(self):
        return self.text


class Rubric(ClusterableModel):
    """An assessment grid: the seeker assesses themself with it, the counsellor reviews
    with the same one."""

    title = models.CharField(_("title"), max_length=200)

    panels = [FieldPanel("title"), InlinePanel("criteria", label=_("Criteria"), min_num=1)]

    class Meta:
        verbose_name = _("assessment grid")
        verbose_name_plural = _("assessment grids")
        ordering = ["title"]

    def __str__(self):
        return self.title


class RubricCriterion(Orderable):
    """A criterion (posture, clarity…) described at four levels, from 1 to 4."""

    LEVELS = (1, 2, 3, 4)

    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    level_1 = models.TextField(_("level 1: to work on"), max_length=500)
    level_2 = models.TextField(_("level 2: improving"), max_length=500)
    level_3 = models.TextField(_("level 3: good"), max_length=500)
    level_4 = models.TextField(_("level 4: very good"), max_length=500)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("level_1"), FieldPanel("level_2")]),
        FieldRowPanel([FieldPanel("level_3"), FieldPanel("level_4")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name

    def levels(self):
        """[(level, its label, its description)] from 1 to 4."""
        return [
            (level, self._meta.get_field(f"level_{level}").verbose_name, getattr(self, f"level_{level}"))
            for level in self.LEVELS
        ]
