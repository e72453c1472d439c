"""Assignments: a counsellor asks a seeker to follow a module (MOOC, e-atelier, …) by a
due date. The status is never stored: it is read from the module's own progress through
the module-status interface (core.modules), plus "overdue" from the due date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.modules import ModuleStatus


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = ModuleStatus.NOT_STARTED.value, ModuleStatus.NOT_STARTED.label
    IN_PROGRESS = ModuleStatus.IN_PROGRESS.value, ModuleStatus.IN_PROGRESS.label
    SUBMITTED = ModuleStatus.SUBMITTED.value, ModuleStatus.SUBMITTED.label
    REVIEWED = ModuleStatus.REVIEWED.value, ModuleStatus.REVIEWED.label
    COMPLETED = ModuleStatus.COMPLETED.value, ModuleStatus.COMPLETED.label
    OVERDUE = "overdue", _("Overdue")


# Statuses in which a passed due date makes an assignment overdue: the seeker still has
# work to do (submitted work waits for the counsellor, not for them).
OVERDUE_WHEN = {ModuleStatus.NOT_STARTED, ModuleStatus.IN_PROGRESS}
_STATUS_OF_MODULE = {status.value: status for status in AssignmentStatus}


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)


class Assignment(models.Model):
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seeker"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    module = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("module"), on_delete=models.CASCADE, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("assigned on"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "module"],
                condition=Q(cancelled_at__isnull=True),
                name="assignment_one_active_per_module",
            )
        ]
        indexes = [models.Index(fields=["seeker", "due_date"], name="assignment_seeker_due")]

    def __str__(self):
        return f"{self.seeker} → {self.module}"

    @staticmethod
    def status_from(progress, due_date, today):
        """The assignment status for the module's `progress` on `today`."""
        if due_date is not None and due_date < today and progress.status in OVERDUE_WHEN:
            return AssignmentStatus.OVERDUE
        # A dictionary rather than AssignmentStatus(…): a portfolio asks thousands of times.
        return _STATUS_OF_MODULE[progress.status]
