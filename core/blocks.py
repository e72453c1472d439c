"""StreamField blocks shared by every content page: headings, text, videos, callouts."""

import uuid

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.rich_text import RichText

from media.blocks import VideoBlock

# Headings h2 and h3 only: the page title is the one h1.
PARAGRAPH_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
        help_text=_("A subsection must follow a section: do not skip levels."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"
        preview_template = "blocks/preview.html"
        preview_value = {"text": "Comment ça marche ?", "level": "h2"}
        description = _("A section title: it structures the page for screen readers and search engines.")


class ParagraphBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph.html"
        preview_template = "blocks/preview.html"
        preview_value = RichText(
            "<p>Des MOOC de quatre semaines, environ <b>deux heures</b> par semaine, "
            "et une conseillère qui suit vos progrès.</p>"
        )
        description = _("Text with bold, italic, lists and links.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("exercise", _("Exercise")), ("tip", _("Tip")), ("important", _("Important"))],
        default="exercise",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "pick"
        label = _("Exercise or callout")
        template = "blocks/callout.html"
        description = _("A framed box: an exercise to do away from the screen, a tip, a warning.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = dict(self.child_blocks["kind"].field.choices).get(value["kind"], "")
        context["uid"] = uuid.uuid4().hex[:10]
        return context


class BaseStreamBlock(blocks.StreamBlock):
    """The body of Tremplin's content pages."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock(features=PARAGRAPH_FEATURES)
    video = VideoBlock()
