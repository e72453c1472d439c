"""The follow-up of a seeker: who followed them when, contacts, private notes and the
seeker's own requests."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class FollowUp(models.Model):
    """One period during which a counsellor followed a seeker: the history of who
    followed whom, kept when a manager reassigns."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_ups")
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up period")
        verbose_name_plural = _("follow-up periods")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["seeker", "-started_at"], name="follow_up_seeker")]

    def __str__(self):
        return f"{self.seeker_id} ← {self.counsellor_id}"


class ContactChannel(models.TextChoices):
    VISIO = "visio", _("Video call")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")
    IN_PERSON = "in_person", _("In person")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Held")
    NO_ANSWER = "no_answer", _("No answer")
    MESSAGE_LEFT = "message_left", _("Message left")
    CANCELLED = "cancelled", _("Cancelled by the seeker")


class Contact(models.Model):
    """A contact between the counsellor and the seeker, with its date and outcome."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts")
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=ContactChannel.choices)
    happened_at = models.DateTimeField(_("date"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=14, choices=ContactOutcome.choices, default=ContactOutcome.REACHED
    )
    summary = models.TextField(_("summary"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-happened_at"]
        indexes = [models.Index(fields=["seeker", "-happened_at"], name="contact_seeker_time")]

    def __str__(self):
        return f"{self.get_channel_display()} {self.happened_at:%Y-%m-%d}"

    @property
    def reached(self):
        return self.outcome == ContactOutcome.REACHED


class Note(models.Model):
    """A counsellor's private note on a seeker (rich text, sanitised on save)."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes_about")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("note"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["seeker", "-created_at"], name="note_seeker_time")]

    def __str__(self):
        return f"{self.seeker_id} · {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        from core.sanitizer import sanitize_html

        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)


class SeekerRequestKind(models.TextChoices):
    TRADITIONAL = "traditional", _("Return to traditional follow-up")
    IN_PERSON = "in_person", _("An in-person interview")
    CALLBACK = "callback", _("Be called back")


class SeekerRequest(models.Model):
    """Something the seeker asked their counsellor for, open until handled."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("request"), max_length=12, choices=SeekerRequestKind.choices)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # A callback (kind CALLBACK) says where and when to call: see contact.callbacks.
    phone = PhoneNumberField(_("phone number"), blank=True)
    half_days = models.JSONField(_("half-days that suit"), default=list, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    calls_without_answer = models.PositiveSmallIntegerField(_("calls without answer"), default=0)

    class Meta:
        verbose_name = _("seeker request")
        verbose_name_plural = _("seeker requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["seeker", "handled_at"], name="request_seeker_open")]

    def __str__(self):
        return self.get_kind_display()
