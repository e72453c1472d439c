"""The blocks of a lesson: text and video (shared), quiz, downloadable resource, callout."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from core.blocks import BaseStreamBlock, CalloutBlock


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=255)
    correct = blocks.BooleanBlock(label=_("Correct answer"), required=False)
    feedback = blocks.TextBlock(
        label=_("Feedback"),
        required=False,
        help_text=_("Shown after the seeker submits, when they chose this answer: explain why."),
    )

    class Meta:
        icon = "tick"
        label = _("Answer")


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Question"), max_length=255)
    multiple = blocks.BooleanBlock(
        label=_("Several answers may be right"),
        required=False,
        help_text=_("Check boxes instead of one choice; the seeker must tick exactly the right answers."),
    )
    answers = blocks.ListBlock(AnswerBlock(), label=_("Answers"), min_num=2, max_num=8)

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        right = sum(1 for answer in value["answers"] if answer["correct"])
        if right == 0:
            raise StructBlockValidationError(
                block_errors={"answers": ValidationError(_("Mark at least one answer as correct."))}
            )
        if right > 1 and not value["multiple"]:
            raise StructBlockValidationError(
                block_errors={
                    "multiple": ValidationError(
                        _("Several answers are marked correct: tick “Several answers may be right”.")
                    )
                }
            )
        return value


class QuizBlock(blocks.StructBlock):
    """A graded quiz. Its template shows the questions, never which answers are right:
    the seeker's choices are graded on the server (courses.quiz)."""

    title = blocks.CharBlock(label=_("Title"), max_length=120, default=_("Check what you learned"))
    pass_mark = blocks.IntegerBlock(
        label=_("Pass mark (%)"),
        min_value=1,
        max_value=100,
        default=70,
        help_text=_("Share of questions to get right to pass. Passing the quiz completes the lesson."),
    )
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Quiz")
        template = "courses/blocks/quiz.html"
        description = _("Questions with one or several right answers, graded with feedback.")


class ResourceBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable resource")
        template = "courses/blocks/resource.html"
        description = _("A document to download: a worksheet, a model letter, a checklist.")


class LessonStreamBlock(BaseStreamBlock):
    quiz = QuizBlock()
    resource = ResourceBlock()
    callout = CalloutBlock()
