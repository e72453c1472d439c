"""The seeker's satisfaction after a contact: one short survey per occasion."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SatisfactionChannel(models.TextChoices):
    VISIO = "visio", _("Video call")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    MESSAGES = "messages", _("Messages")


RATINGS = [(n, str(n)) for n in range(1, 6)]
#: Ratings that count as "satisfied" in the managers' figures.
SATISFIED = 4


class Satisfaction(models.Model):
    """A survey offered to the seeker (1–5 and a comment, answered once) after a held
    appointment or an answered conversation. `about` names the occasion, so that it is
    offered once: "appointment:<id>", or "messages:<ISO week>" (at most one a week)."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=SatisfactionChannel.choices)
    about = models.CharField(max_length=40)
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=RATINGS, null=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [models.UniqueConstraint(fields=["seeker", "about"], name="satisfaction_once")]
        indexes = [
            models.Index(fields=["counsellor", "answered_at"], name="satisfaction_counsellor"),
            models.Index(fields=["seeker", "answered_at"], name="satisfaction_seeker"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.rating or '-'}"
