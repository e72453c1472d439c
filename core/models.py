from django.db import models
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
    subpage_types = ["courses.CourseIndexPage", "ateliers.AtelierIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
