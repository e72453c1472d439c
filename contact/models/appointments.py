"""Appointments between a seeker and their counsellor, and the counsellor's agenda:
weekly opening hours, time off, slot length.

Two active appointments of one counsellor, or of one seeker, never overlap. On
PostgreSQL an exclusion constraint (btree_gist) says so, whatever the number of
simultaneous requests; SQLite has no such constraint, and contact.appointments books in a
transaction that takes SQLite's write lock when it begins (settings: "IMMEDIATE"), so the
check and the insert are serialised there.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Agenda(models.Model):
    """A counsellor's booking settings: how long a slot is, and the secret of their
    calendar feed."""

    counsellor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agenda",
        verbose_name=_("counsellor"),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=30,
        choices=[(15, "15"), (20, "20"), (30, "30"), (45, "45"), (60, "60")],
    )
    feed_secret = models.CharField(_("calendar feed secret"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def __str__(self):
        return str(self.counsellor)

    def renew_feed_secret(self):
        """A new secret: the old feed URL stops working at once."""
        self.feed_secret = secrets.token_urlsafe(32)
        self.save(update_fields=["feed_secret"])


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """Open for appointments every `weekday` from `starts` to `ends`, Paris time."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(pgettext_lazy("opening hours: until a time", "to"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts__lt=models.F("ends")), name="opening_hours_order"
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TimeOff(models.Model):
    """A period without appointments (a day off, an absence, a training)."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="time_off_order"
            )
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d} → {self.ends_at:%Y-%m-%d}"


class AppointmentChannel(models.TextChoices):
    """The values are coaching.ContactChannel's: a held appointment is logged as a contact."""

    VISIO = "visio", _("Video call")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")


ACTIVE = ~models.Q(status=AppointmentStatus.CANCELLED)


class TsTzRange(models.Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL, nothing elsewhere: on SQLite (`make run`)
    the booking transaction does the work (see the module's docstring)."""

    @staticmethod
    def _on_postgres(schema_editor):
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using="default"):
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


def _no_overlap(person):
    return PostgresExclusionConstraint(
        name=f"appointment_{person}_no_overlap",
        expressions=[
            (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
            (person, RangeOperators.EQUAL),
        ],
        condition=ACTIVE,
    )


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ACTIVE)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def upcoming(self, now):
        return self.filter(status=AppointmentStatus.BOOKED, ends_at__gt=now).order_by("starts_at")


def new_uid():
    return f"{uuid.uuid4()}@tremplin"


class Appointment(models.Model):
    """An appointment of a seeker with a counsellor. Its `uid` names it in calendars for
    good; `sequence` grows with every change sent to them (RFC 5545)."""

    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("job seeker"),
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agenda_appointments",
        verbose_name=_("counsellor"),
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    channel = models.CharField(_("channel"), max_length=12, choices=AppointmentChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=2000)
    uid = models.CharField(_("calendar UID"), max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    room = models.CharField(_("video room"), max_length=100, blank=True)
    # When each reminder went (contact.appointments_reminders): sent once, even if its
    # job runs twice; cleared when the appointment moves.
    reminded_day_at = models.DateTimeField(_("reminded the day before on"), null=True, blank=True)
    reminded_hour_at = models.DateTimeField(_("reminded one hour before on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("booked on"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["counsellor", "starts_at"], name="appointment_counsellor_time"),
            models.Index(fields=["seeker", "starts_at"], name="appointment_seeker_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="appointment_order"
            ),
            _no_overlap("counsellor"),
            _no_overlap("seeker"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.get_channel_display()} {local:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.status != AppointmentStatus.CANCELLED
