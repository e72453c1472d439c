from django.db import models
from django.db.models.functions import Upper
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
