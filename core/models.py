import io
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import BaseStreamBlock


class HomePage(Page):
    """The site's root page: what Tremplin offers and where to start."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "courses.CourseIndexPage",
        "ateliers.AtelierIndexPage",
        "interviews.MockInterviewIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class OutgoingEmail(models.Model):
    """One e-mail waiting for its delivery job (core.jobs.deliver_email).

    The job carries only this row's id: Redis never holds an address, a message or a
    link (a password-reset link works for a day). The row goes once the message is sent;
    when the last retry fails it is emptied of its message and dropped after
    EMAIL_FAILURE_TTL. A `composer` message is written by the worker at delivery (see
    core.notifications.send_composed_email).
    """

    to = models.EmailField(_("to"))
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.TextField(_("subject"), blank=True)
    body = models.TextField(_("body"), blank=True)
    html_body = models.TextField(_("HTML body"), blank=True)
    composer = models.CharField(_("composer"), max_length=200, blank=True)
    context = models.JSONField(_("composer context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(Upper("to"), name="core_outgoingemail_to_ci")]

    def __str__(self):
        return f"E-mail #{self.pk}"

    @property
    def job_id(self):
        """The one RQ job that delivers this row (deletion finds it by this id)."""
        return f"email-{self.pk}"


class ResumableUpload(models.Model):
    """Bytes on their way in through the tus endpoint (see core.resumable).

    An app creates the row for a target it checked (`core.resumable.start`); the bytes
    are appended to a file named after `key` in RESUMABLE_UPLOAD_DIR, whose size says how
    many of them are stored (`offset`: the row is not written for each piece). `length`
    stays empty until the client knows it (a recording's size is known when it stops).
    The file leaves the folder when the row is deleted, after the transaction commits.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    purpose = models.CharField(_("purpose"), max_length=50)
    target_id = models.BigIntegerField(_("target id"))
    key = models.UUIDField(_("file key"), default=uuid.uuid4, unique=True, editable=False)
    length = models.BigIntegerField(_("length"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("resumable upload")
        verbose_name_plural = _("resumable uploads")
        indexes = [models.Index(fields=["completed_at", "updated_at"], name="core_upload_stale")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(length__isnull=True) | models.Q(length__gte=0),
                name="core_upload_length_not_negative",
            )
        ]

    def __str__(self):
        return f"Upload #{self.pk} ({self.purpose})"

    @property
    def url(self):
        """Where the client sends the bytes (HEAD, PATCH, DELETE)."""
        return reverse("resumable_upload", kwargs={"key": self.key})

    @property
    def path(self):
        """The file holding the bytes received so far (absent before the first)."""
        return Path(settings.RESUMABLE_UPLOAD_DIR) / self.key.hex

    @property
    def is_complete(self):
        return self.completed_at is not None

    @property
    def offset(self):
        """How many bytes are stored: the file's size, as tus's own server (tusd) keeps
        it, or the length once complete (the app may have moved the file)."""
        if self.is_complete:
            return self.length
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def open(self):
        """The bytes received, as a binary file open for reading (close it).

        A complete upload's file holds exactly `length` bytes, or this raises
        IncompleteUpload: pieces are written without waiting for the disk
        (core.resumable), so a machine that stopped after the completion may have lost
        the last ones, or the whole file; the app then asks for the file again rather
        than take what is left for the whole."""
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            if not self.length:
                return io.BytesIO(b"")
            if self.is_complete:
                raise IncompleteUpload(f"{self}: its file is gone.") from None
            raise
        if self.is_complete:
            stored = os.fstat(handle.fileno()).st_size
            if stored != self.length:
                handle.close()
                raise IncompleteUpload(f"{self}: {stored} bytes stored of {self.length}.")
        return handle


class IncompleteUpload(Exception):
    """A complete upload whose file does not hold its length (ResumableUpload.open)."""
