"""The one activity log: who did what to which object, and when, on a seeker's file.

Every app writes here through `activity.log.record`; timelines, "last activity" and
inactivity alerts read from here.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivityEntryQuerySet(models.QuerySet):
    def for_seeker(self, seeker):
        return self.filter(seeker=seeker)

    def by_seeker_themselves(self):
        """What seekers did on their own, as opposed to what was done about them."""
        return self.filter(actor_id=models.F("seeker_id"))

    def timeline(self):
        return self.select_related("actor", "target_type").order_by("-created_at", "-pk")


class ActivityEntry(models.Model):
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seeker"),
        on_delete=models.CASCADE,
        related_name="activity",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verb = models.CharField(_("verb"), max_length=64)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # What the object was called when it happened: the timeline stays readable after
    # the object is renamed or deleted, without a query per entry.
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ActivityEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity entries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["seeker", "-created_at"], name="activity_seeker_time"),
            # "Last activity" of a whole portfolio (the inactivity alert): the newest of
            # what each seeker did themselves (actor = seeker), one probe per seeker.
            models.Index(fields=["seeker", "actor", "-created_at"], name="activity_seeker_actor_time"),
            models.Index(fields=["target_type", "target_id"], name="activity_target"),
        ]

    def __str__(self):
        return f"{self.seeker_id} {self.verb} {self.target_label}".strip()

    @property
    def label(self):
        from .verbs import label_for

        return label_for(self.verb)
