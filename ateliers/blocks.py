"""The blocks of an atelier step: content (shared with every page) and exercises.

Each exercise block is identified by its StreamField block id: the seeker's answer is
stored against it (ateliers.models.Answer), so editors can reorder or retitle an
exercise without losing answers.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.blocks import BaseStreamBlock, CalloutBlock

# What the file-upload exercise accepts: name → (extensions, MIME types detected from
# the content). The file's own name and the browser's Content-Type are never trusted.
UPLOAD_KINDS = {
    "pdf": ((".pdf",), ("application/pdf",)),
    "docx": ((".docx",), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)),
    "odt": ((".odt",), ("application/vnd.oasis.opendocument.text",)),
    "jpeg": ((".jpg", ".jpeg"), ("image/jpeg",)),
    "png": ((".png",), ("image/png",)),
}


class ExerciseBlock(blocks.StructBlock):
    """Common fields of every exercise: a title and instructions."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    instructions = blocks.RichTextBlock(
        label=_("Instructions"), features=["bold", "italic", "ol", "ul", "link"], required=False
    )

    #: The Answer.kind this exercise stores.
    kind = ""

    class Meta:
        template = "ateliers/blocks/exercise.html"


class FreeTextExercise(ExerciseBlock):
    kind = "free_text"
    placeholder = blocks.CharBlock(
        label=_("Example shown in the empty field"), required=False, max_length=200
    )

    class Meta:
        icon = "edit"
        label = _("Exercise: free text")
        description = _("The seeker writes a text (simple formatting), saved as they type.")


class ChecklistExercise(ExerciseBlock):
    kind = "checklist"
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item"), max_length=200), label=_("Items"), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Exercise: checklist")
        description = _("Things to check one by one (profile sections, privacy settings…).")


class SelfCheckChoice(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=255)
    correct = blocks.BooleanBlock(label=_("Right answer"), required=False)
    feedback = blocks.TextBlock(label=_("Feedback"), required=False)


class SelfCheckExercise(ExerciseBlock):
    kind = "self_check"
    question = blocks.CharBlock(label=_("Question"), max_length=255)
    multiple = blocks.BooleanBlock(label=_("Several answers may be right"), required=False)
    choices = blocks.ListBlock(SelfCheckChoice(), label=_("Answers"), min_num=2, max_num=8)

    class Meta:
        icon = "help"
        label = _("Exercise: self-check")
        description = _(
            "A multiple-choice question with feedback, to check one's understanding (not graded)."
        )


class FileUploadExercise(ExerciseBlock):
    kind = "file"
    accepted = blocks.MultipleChoiceBlock(
        label=_("Accepted files"),
        choices=[
            ("pdf", "PDF"),
            ("docx", "Word (DOCX)"),
            ("odt", "OpenDocument (ODT)"),
            ("jpeg", "JPEG"),
            ("png", "PNG"),
        ],
        default=["pdf", "docx", "odt"],
    )

    class Meta:
        icon = "doc-full"
        label = _("Exercise: file to send")
        description = _("The seeker sends a document (a CV, a letter, a screenshot), kept private.")


class CVBuilderExercise(ExerciseBlock):
    kind = "cv"

    class Meta:
        icon = "user"
        label = _("Exercise: CV builder")
        description = _("The structured CV builder with live preview, PDF and plain-text exports.")


class AtelierStreamBlock(BaseStreamBlock):
    callout = CalloutBlock()
    free_text = FreeTextExercise()
    checklist = ChecklistExercise()
    self_check = SelfCheckExercise()
    file = FileUploadExercise()
    cv = CVBuilderExercise()


EXERCISE_TYPES = {"free_text", "checklist", "self_check", "file", "cv"}
