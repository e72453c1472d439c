"""The module-status interface: what every kind of learning module tells about a seeker.

Courses, e-ateliers and mock interviews are Wagtail pages of different types. The
counsellor workspace (assignments, portfolio, review queue) reads them all through
this one small interface, so a new module type plugs in without changing it:

- `ModuleStatus`: the five states a seeker can be in for a module;
- `ModuleProgress`: that state plus a percentage and the dates the workspace shows;
- `LearningModule`: the mixin a module page type inherits. It answers for one
  seeker (`progress_for`) and, in a fixed number of queries, for many pairs of seekers
  and pages of its type (`progress_for_many`); it lists a seeker's modules of its type
  for "Mon parcours" (`summaries_for`), the work waiting for a review
  (`waiting_for_review`) and the reviews a seeker received (`feedback_for`);
- `ModuleSummary`, `ReviewItem`, `FeedbackItem`: what those answers are made of;
- `module_page_models()` and `kind_label()`: every module type, and the short name of
  a module's type ("MOOC", "E-atelier").
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModuleStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted for review")
    REVIEWED = "reviewed", _("Reviewed")
    COMPLETED = "completed", _("Completed")


@dataclass(frozen=True)
class ModuleProgress:
    status: str = ModuleStatus.NOT_STARTED
    percent: int = 0
    # When the seeker last submitted work that waits for a review (review queue).
    submitted_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def label(self):
        return ModuleStatus(self.status).label

    @property
    def is_done(self):
        return self.status == ModuleStatus.COMPLETED


NOT_STARTED = ModuleProgress()


class LearningModule:
    """Mixin for the page types a counsellor can assign (CoursePage, AtelierPage, …)."""

    #: Short name of the module kind, shown beside its title ("MOOC", "E-atelier").
    module_kind = ""

    def progress_for(self, seeker):
        """The `ModuleProgress` of `seeker` (a User) in this module."""
        return self.progress_for_many([(seeker.pk, self.pk)]).get((seeker.pk, self.pk), NOT_STARTED)

    @classmethod
    def progress_for_many(cls, pairs):
        """{(seeker_id, page_id): ModuleProgress} for the given pairs, in a fixed number
        of queries (one or a few, never one per pair).

        Pairs without any progress may be left out: callers read missing ones as
        `NOT_STARTED`.
        """
        raise NotImplementedError

    def on_assigned(self, seeker, *, actor, when=None):
        """Called when a counsellor assigns this module to `seeker` at `when` (default:
        now): a MOOC enrols them."""

    @classmethod
    def summaries_for(cls, seeker):
        """`ModuleSummary`s of the modules of this type `seeker` has joined (a MOOC they
        are enrolled in), most recently joined first, in a fixed number of queries.
        Module types a seeker does not join on their own have nothing to return."""
        return []

    @classmethod
    def feedback_for(cls, seeker):
        """`FeedbackItem`s of the reviews `seeker` received in modules of this type,
        newest first."""
        return []

    @classmethod
    def satisfaction_between(cls, since, until, seekers):
        """{page id: (title, answers, satisfied)} from the end-of-module survey of this
        type, answered in [since, until) by `seekers` (a queryset of user ids), in one
        aggregate query; "satisfied" is a rating of 4 or 5 out of 5. Module types without
        a survey have nothing to return."""
        return {}

    @classmethod
    def may_review(cls, user):
        """Whether `user`, staff who follow the seeker, opens the review pages of this
        type's work (`ReviewItem.url`, `FeedbackItem.review_url`). By default the
        seeker's counsellor and their team manager alike."""
        return True

    @classmethod
    def waiting_for_review(cls, seeker_ids):
        """`ReviewItem`s: work of these seekers waiting for a counsellor's review, in
        one query. Module types without reviews (courses) have nothing to return."""
        return []


@dataclass(frozen=True)
class ModuleSummary:
    """A module on the seeker's "Mon parcours": how far they are, where to go on."""

    module: object  # the module page
    percent: int
    resume_url: str | None = None  # where to continue; None when there is nothing left


@dataclass(frozen=True)
class ReviewItem:
    """One piece of work in a counsellor's review queue."""

    seeker_id: int
    module: object  # the module page
    title: str  # what was submitted ("CV", "Atelier CV", …)
    submitted_at: datetime
    url: str  # where the counsellor reviews it


@dataclass(frozen=True)
class FeedbackItem:
    """A review the seeker received."""

    seeker_id: int
    module: object  # the module page
    title: str  # what was reviewed
    reviewed_at: datetime
    url: str  # where the seeker reads it
    review_url: str  # where their counsellor reads it again


def reviewable_by(user, items):
    """The `ReviewItem`s or `FeedbackItem`s whose review pages `user` opens (see
    `LearningModule.may_review`)."""
    return [item for item in items if item.module.specific_class.may_review(user)]


def module_page_models():
    """Every page type that implements the interface."""
    from wagtail.models import get_page_models

    return [model for model in get_page_models() if issubclass(model, LearningModule)]


def kind_label(module):
    """The short name of a module's type ("MOOC", "E-atelier"), for a page of any
    class (a plain `Page` from a query, or the specific one) or a page type."""
    model = module if isinstance(module, type) else getattr(module, "specific_class", None) or type(module)
    return getattr(model, "module_kind", "")


def module_pages(ids):
    """{id: Page} of modules, one shared object per page (a portfolio has thousands of
    assignments, a review queue a hundred pieces of work, but a few dozen modules): one
    query, none without ids. Plain `Page`s with what titles, links and `kind_label` need."""
    from wagtail.models import Page

    return (
        Page.objects.filter(pk__in=ids)
        .only("id", "title", "slug", "url_path", "path", "depth", "live", "content_type_id", "locale_id")
        .in_bulk()
    )
