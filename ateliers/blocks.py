"""The blocks of an atelier step: content (shared with every page) and exercises.

Each kind of exercise is one `ExerciseBlock` subclass that carries its behaviour, the
way Wagtail's blocks carry `clean` and `render`: it reads what the seeker posts, says
what the step page shows, whether an answer is empty, what a submission freezes of it
and how a frozen answer is shown. Its name in `AtelierStreamBlock` is its kind (stored
as `Answer.kind` and in the snapshots), and its templates are named after it:

- ``ateliers/blocks/<kind>.html``: the seeker's form (extends ``exercise_frame.html``);
- ``ateliers/blocks/readonly/<kind>.html``: what staff and previews see of it;
- ``ateliers/includes/answer_<kind>.html``: a frozen answer, read-only.

Each exercise is identified by its StreamField block id: the seeker's answer is stored
against it (ateliers.models.Answer), so editors can reorder or retitle an exercise
without losing answers. Nothing posted is trusted: free text goes through the project's
one sanitiser, ticked items and chosen answers must be indexes of the exercise, and a
file's type is read from its content.
"""

import functools
from dataclasses import dataclass, field

from django.template import TemplateDoesNotExist
from django.template.defaultfilters import filesizeformat
from django.template.loader import get_template
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from core import file_kinds
from core.blocks import BaseStreamBlock, CalloutBlock
from core.private_media import private_storage

from . import cv as cv_builder
from . import uploads
from .answer_text import html_to_text, text_to_html
from .indexes import posted_indexes, stored_indexes


@dataclass
class Outcome:
    """What saving an exercise gave: errors by posted field name (one translated message
    each), and whether the answer was updated anyway (the CV builder keeps a draft with
    errors, marked for correction)."""

    errors: dict = field(default_factory=dict)
    updated: bool = True

    @classmethod
    def refused(cls, **errors):
        return cls(errors=errors, updated=False)


@dataclass
class Saved:
    """What the seeker is told once their answer is saved: a message (after a normal
    form post), the anchor suffix the page goes back to, and what an autosave's JSON
    answer adds."""

    message: str
    fragment: str = ""
    payload: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------
# The interface
# ---------------------------------------------------------------------------
class ExerciseBlock(blocks.StructBlock):
    """Common fields of every exercise (a title and instructions) and the methods each
    kind implements. `value` is the block's StructValue (the editor's settings),
    `answer` the seeker's `Answer` (or None)."""

    title = blocks.CharBlock(label=gettext_lazy("Title"), max_length=120)
    instructions = blocks.RichTextBlock(
        label=gettext_lazy("Instructions"), features=["bold", "italic", "ol", "ul", "link"], required=False
    )

    #: Drafts save as the seeker types (static/js/autosave.js).
    autosaves = False
    #: An emptied answer is kept rather than deleted (other rows refer to it).
    keeps_empty_answer = False

    @property
    def kind(self):
        """The block's name in AtelierStreamBlock: `Answer.kind`, the snapshots' "kind"."""
        return self.name

    @property
    def form_template(self):
        return f"ateliers/blocks/{self.kind}.html"

    @property
    def answer_template(self):
        return f"ateliers/includes/answer_{self.kind}.html"

    def get_template(self, value=None, context=None):
        return f"ateliers/blocks/readonly/{self.kind}.html"

    # The seeker's answer --------------------------------------------------------
    def save_answer(self, value, answer, data, files):
        """Validate what was posted (`data`, `files`) and update `answer` in memory (the
        view saves it). Returns an Outcome."""
        raise NotImplementedError

    def step_context(self, value, answer, posted, *, route_url):
        """What the step page's form needs, beside the answer: from the saved `answer`,
        or from the `posted` input (a QueryDict) when saving it failed. `route_url(name,
        **kwargs)` is the URL of one of the step's routes for this exercise."""
        return {}

    def is_empty_answer(self, answer):
        """An answer with nothing in it is not kept: it would count as done."""
        return False

    def after_save(self, value, answer):
        """What the seeker is told once `answer` is saved (a Saved)."""
        return Saved(_("Your answer is saved."))

    # The frozen copy ------------------------------------------------------------
    def has_content(self, value, answer):
        """Whether a submission counts `answer` (never None here) as answered; an answer
        can be emptied without being deleted."""
        return bool(strip_tags(answer.text or "").strip())

    def freeze(self, value, answer):
        """What a submission keeps of this exercise beside the answer's own fields
        (ateliers.submissions._freeze): what is needed to read it later, and
        "answered"."""
        return {"answered": answer is not None and self.has_content(value, answer)}

    def frozen_context(self, item):
        """What `answer_template` shows of a frozen `item` (a snapshot's entry), as
        `answer.content`."""
        return {"text": item.get("text", "")}


@functools.cache
def exercise_kinds():
    """{kind: block} of the exercises AtelierStreamBlock holds, in the editor's order."""
    return {
        name: block
        for name, block in AtelierStreamBlock.base_blocks.items()
        if isinstance(block, ExerciseBlock)
    }


def exercise_kind_choices():
    """The choices of `Answer.kind` (a callable: adding a kind needs no migration)."""
    return [(kind, block.label) for kind, block in exercise_kinds().items()]


# ---------------------------------------------------------------------------
# The kinds
# ---------------------------------------------------------------------------
FREE_TEXT_MAX_CHARS = 20_000


class FreeTextExercise(ExerciseBlock):
    placeholder = blocks.CharBlock(
        label=gettext_lazy("Example shown in the empty field"), required=False, max_length=200
    )

    autosaves = True

    class Meta:
        icon = "edit"
        label = gettext_lazy("Exercise: free text")
        description = gettext_lazy("The seeker writes a text (simple formatting), saved as they type.")

    def save_answer(self, value, answer, data, files):
        text = data.get("text", "")
        if len(text) > FREE_TEXT_MAX_CHARS:
            return Outcome.refused(
                text=_(
                    "Your text is too long: %(count)s characters, %(max)s at most. Shorten it, then save again."
                )
                % {
                    "count": number_format(len(text), force_grouping=True),
                    "max": number_format(FREE_TEXT_MAX_CHARS, force_grouping=True),
                }
            )
        answer.text = text_to_html(text)
        return Outcome()

    def step_context(self, value, answer, posted, *, route_url):
        if posted is None:
            return {"text": html_to_text(answer.text) if answer else "", "max_chars": FREE_TEXT_MAX_CHARS}
        return {"text": posted.get("text", ""), "max_chars": FREE_TEXT_MAX_CHARS}

    def is_empty_answer(self, answer):
        return not answer.text


class ChecklistExercise(ExerciseBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(label=gettext_lazy("Item"), max_length=200), label=gettext_lazy("Items"), min_num=1
    )

    autosaves = True

    class Meta:
        icon = "tasks"
        label = gettext_lazy("Exercise: checklist")
        description = gettext_lazy("Things to check one by one (profile sections, privacy settings…).")

    def save_answer(self, value, answer, data, files):
        ticked = posted_indexes(data, "ticked", len(value["items"]))
        if ticked is None:
            return Outcome.refused(ticked=_("This item is not in the list: reload the page and try again."))
        answer.data = {"ticked": ticked}
        return Outcome()

    def step_context(self, value, answer, posted, *, route_url):
        if posted is not None:
            ticked = set(posted_indexes(posted, "ticked", len(value["items"])) or [])
        else:
            ticked = set(answer.data.get("ticked", [])) if answer else set()
        return {
            "checklist": [
                {"index": index, "label": label, "ticked": index in ticked}
                for index, label in enumerate(value["items"])
            ],
            "ticked_count": len(ticked),
        }

    def is_empty_answer(self, answer):
        return not answer.data.get("ticked")

    def freeze(self, value, answer):
        labels = [str(label) for label in value.get("items") or []]
        ticked = stored_indexes(answer.data if answer else {}, "ticked", len(labels))
        return {"items": labels, "ticked": ticked, "answered": bool(ticked)}

    def frozen_context(self, item):
        ticked = set(item.get("ticked") or [])
        return {
            "choices": [
                {"label": label, "chosen": position in ticked}
                for position, label in enumerate(item.get("items") or [])
            ]
        }


class SelfCheckChoice(blocks.StructBlock):
    text = blocks.CharBlock(label=gettext_lazy("Answer"), max_length=255)
    correct = blocks.BooleanBlock(label=gettext_lazy("Right answer"), required=False)
    feedback = blocks.TextBlock(label=gettext_lazy("Feedback"), required=False)


class SelfCheckExercise(ExerciseBlock):
    """A self-check, not a test: the right answers and the feedback stay on the server
    until the seeker has checked an answer."""

    question = blocks.CharBlock(label=gettext_lazy("Question"), max_length=255)
    multiple = blocks.BooleanBlock(label=gettext_lazy("Several answers may be right"), required=False)
    choices = blocks.ListBlock(SelfCheckChoice(), label=gettext_lazy("Answers"), min_num=2, max_num=8)

    class Meta:
        icon = "help"
        label = gettext_lazy("Exercise: self-check")
        description = gettext_lazy(
            "A multiple-choice question with feedback, to check one's understanding (not graded)."
        )

    def save_answer(self, value, answer, data, files):
        chosen = posted_indexes(data, "chosen", len(value["choices"]))
        if chosen is None:
            return Outcome.refused(chosen=_("This answer is not in the list: reload the page and try again."))
        if not chosen:
            return Outcome.refused(
                chosen=_("Choose at least one answer, then check.")
                if value["multiple"]
                else _("Choose an answer, then check.")
            )
        if not value["multiple"] and len(chosen) > 1:
            return Outcome.refused(chosen=_("Choose only one answer."))
        answer.data = {"chosen": chosen}
        return Outcome()

    @staticmethod
    def result(value, chosen):
        """What the seeker sees once they checked: for each answer, whether they chose
        it, whether it is right, and its feedback."""
        chosen = set(chosen)
        choices = [
            {
                "index": index,
                "text": choice["text"],
                "chosen": index in chosen,
                "correct": bool(choice["correct"]),
                "feedback": choice["feedback"],
            }
            for index, choice in enumerate(value["choices"])
        ]
        right = {choice["index"] for choice in choices if choice["correct"]}
        return {"all_right": chosen == right, "choices": choices}

    def step_context(self, value, answer, posted, *, route_url):
        checked = answer.data.get("chosen") if answer and posted is None else None
        if posted is not None:
            chosen = set(posted_indexes(posted, "chosen", len(value["choices"])) or [])
        else:
            chosen = set(checked or [])
        return {
            # Right answers and feedback stay on the server until the seeker checks.
            "choices": [
                {"index": index, "text": choice["text"], "chosen": index in chosen}
                for index, choice in enumerate(value["choices"])
            ],
            "result": self.result(value, checked) if checked else None,
        }

    def after_save(self, value, answer):
        return Saved(
            _("Answer checked: read the feedback below."),
            fragment="-result",
            payload={"result": self.result(value, answer.data["chosen"])},
        )

    def freeze(self, value, answer):
        choices = [
            {"text": str(choice.get("text", "")), "correct": bool(choice.get("correct"))}
            for choice in value.get("choices") or []
        ]
        chosen = stored_indexes(answer.data if answer else {}, "chosen", len(choices))
        return {
            "question": str(value.get("question", "")),
            "choices": choices,
            "chosen": chosen,
            "answered": bool(chosen),
        }

    def frozen_context(self, item):
        chosen = set(item.get("chosen") or [])
        return {
            "question": item.get("question", ""),
            "choices": [
                {
                    "label": choice.get("text", ""),
                    "chosen": position in chosen,
                    "correct": bool(choice.get("correct")),
                }
                for position, choice in enumerate(item.get("choices") or [])
            ],
        }


class FileUploadExercise(ExerciseBlock):
    """A document, kept private (core.private_media); its type is read from its content
    (core.file_kinds), its stored name is random."""

    accepted = blocks.MultipleChoiceBlock(
        label=gettext_lazy("Accepted files"),
        choices=list(file_kinds.KIND_LABELS.items()),
        default=["pdf", "docx", "odt"],
    )

    class Meta:
        icon = "doc-full"
        label = gettext_lazy("Exercise: file to send")
        description = gettext_lazy(
            "The seeker sends a document (a CV, a letter, a screenshot), kept private."
        )

    def save_answer(self, value, answer, data, files):
        upload = files.get("file")
        accepted = uploads.accepted_kinds(value.get("accepted"))
        if upload is None or not upload.size:
            return Outcome.refused(file=_("Choose a file on your device, then send it."))
        limit = uploads.max_upload_bytes()
        if upload.size > limit:
            return Outcome.refused(
                file=_(
                    "This file is too big (%(size)s): %(limit)s at most. Reduce it (fewer pages, smaller images) and send it again."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        kind = file_kinds.detect_kind(upload)
        if kind is None or kind not in accepted:
            return Outcome.refused(
                file=_(
                    "This file is not a %(kinds)s document. Its content was checked, not its name: "
                    "save it again as %(kinds)s (with “Save as” or “Export”), then send it."
                )
                % {"kinds": file_kinds.kinds_label(accepted)}
            )
        extension = file_kinds.STORED_EXTENSIONS[kind]
        answer.file_name = file_kinds.display_file_name(upload.name) or f"document{extension}"
        # The stored name is random (PrivateUploadTo); only the detected type's extension is kept.
        upload.name = f"document{extension}"
        answer.file = upload
        answer.data = {"type": kind, "size": upload.size}
        return Outcome()

    def step_context(self, value, answer, posted, *, route_url):
        accepted = uploads.accepted_kinds(value.get("accepted"))
        return {
            "accept": file_kinds.accept_attribute(accepted),
            "accepted_label": file_kinds.kinds_label(accepted),
            "max_size": filesizeformat(uploads.max_upload_bytes()),
            "has_file": bool(answer and answer.file),
        }

    def is_empty_answer(self, answer):
        return not answer.file

    def after_save(self, value, answer):
        return Saved(
            _("Your file “%(name)s” is saved.") % {"name": answer.file_name},
            payload={"file": {"name": answer.file_name, "url": answer.file.url}},
        )

    def has_content(self, value, answer):
        return bool(answer.file)

    def frozen_context(self, item):
        if not item.get("file"):
            return {}
        return {
            "file_url": private_storage().url(item["file"]),
            "file_name": item.get("file_name") or _("the document"),
        }


class CVBuilderExercise(ExerciseBlock):
    """The CV builder; its own logic (cleaning, exports, versions) is in ateliers/cv.py
    and its routes in ateliers/views/cv.py."""

    #: The builder's preview, also used to show a frozen CV when it exists.
    preview_template = "ateliers/cv/preview.html"
    autosaves = True
    # CV versions (CVExport.answer) refer to the CV's answer.
    keeps_empty_answer = True

    class Meta:
        icon = "user"
        label = gettext_lazy("Exercise: CV builder")
        description = gettext_lazy("The structured CV builder with live preview, PDF and plain-text exports.")

    def save_answer(self, value, answer, data, files):
        cv, errors = cv_builder.parse_form(data)
        answer.data = cv
        # A draft is kept even with errors: the fields are marked until corrected.
        return Outcome(errors=dict(errors), updated=True)

    def step_context(self, value, answer, posted, *, route_url):
        return {
            "cv": answer.data if answer else None,
            "posted": posted,
            "cv_urls": {action: route_url("cv", action=action) for action in ("apercu", "pdf", "texte")},
        }

    def is_empty_answer(self, answer):
        return cv_builder.is_empty(answer.data)

    def has_content(self, value, answer):
        return not cv_builder.is_empty(answer.data)

    def frozen_context(self, item):
        try:
            get_template(self.preview_template)
            preview = self.preview_template
        except TemplateDoesNotExist:
            preview = None
        return {"cv": cv_builder.prepare(item.get("data")), "preview_template": preview}


class AtelierStreamBlock(BaseStreamBlock):
    callout = CalloutBlock()
    free_text = FreeTextExercise()
    checklist = ChecklistExercise()
    self_check = SelfCheckExercise()
    file = FileUploadExercise()
    cv = CVBuilderExercise()
