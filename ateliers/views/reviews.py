"""Sending an atelier for review (the seeker) and reviewing it (the counsellor).

The seeker's pages are routes of the atelier page ("envoyer/", "envois/"); the
counsellor's review page has its own URL (ateliers/urls.py), linked from the review
queue through `AtelierPage.waiting_for_review`.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.permissions import seeker_required, staff_required

from .. import submissions
from ..models import Submission, SubmissionStatus
from ..permissions import reviewable_submission_or_404

WHOLE, SOME = "whole", "some"


# ---------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------
class SubmitForm(forms.Form):
    """The whole atelier, or the exercises (deliverables) the seeker ticks."""

    scope = forms.ChoiceField(
        label=gettext_lazy("What do you send?"),
        choices=[
            (WHOLE, gettext_lazy("The whole e-atelier")),
            (SOME, gettext_lazy("Only the exercises I tick below")),
        ],
        initial=WHOLE,
        widget=forms.RadioSelect,
    )
    exercises = forms.MultipleChoiceField(
        label=gettext_lazy("Exercises to send"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only when you send some exercises."),
    )

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercises"].choices = [
            (answer.exercise_id, f"{answer.title} ({answer.step_title})")
            for answer in answers
            if answer.answered
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == SOME and not cleaned.get("exercises"):
            self.add_error("exercises", _("Tick at least one exercise to send."))
        return cleaned

    def exercise_ids(self):
        """None for the whole atelier, else the ticked exercise ids."""
        if self.cleaned_data["scope"] == WHOLE:
            return None
        return self.cleaned_data["exercises"]


FEEDBACK_HINT = gettext_lazy(
    "Plain text: leave an empty line between paragraphs. Bold, italic, lists and links are kept."
)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        choices=[
            (SubmissionStatus.VALIDATED, SubmissionStatus.VALIDATED.label),
            (SubmissionStatus.TO_REVISE, SubmissionStatus.TO_REVISE.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose “Validated” or “To revise”.")},
    )
    feedback = forms.CharField(
        label=gettext_lazy("Overall feedback"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=FEEDBACK_HINT,
    )

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = answers
        for answer in answers:
            self.fields[self.field_name(answer)] = forms.CharField(
                label=_("Your feedback on “%(title)s”") % {"title": answer.title},
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @staticmethod
    def field_name(answer):
        return f"exercise_{answer.exercise_id}"

    def clean(self):
        cleaned = super().clean()
        said = [cleaned.get("feedback")] + [cleaned.get(self.field_name(answer)) for answer in self.answers]
        if cleaned.get("decision") == SubmissionStatus.TO_REVISE and not any(
            submissions.clean_feedback(text) for text in said
        ):
            self.add_error("feedback", _("Tell the seeker what to revise."))
        return cleaned

    def exercise_feedback(self):
        return {
            answer.exercise_id: self.cleaned_data.get(self.field_name(answer), "") for answer in self.answers
        }

    def answers_with_fields(self):
        return [(answer, self[self.field_name(answer)]) for answer in self.answers]


# ---------------------------------------------------------------------------
# The seeker's pages
# ---------------------------------------------------------------------------
def _submissions_path(atelier):
    return atelier.url + atelier.reverse_subpage("submissions")


def _submit_path(atelier):
    return atelier.url + atelier.reverse_subpage("submit")


def _common(request, atelier):
    steps = list(atelier.steps())
    profile = getattr(request.user, "seeker_profile", None)
    return {
        "page": atelier,
        "atelier": atelier,
        "steps": steps,
        "first_step": steps[0] if steps else None,
        "submissions_path": _submissions_path(atelier),
        "submit_path": _submit_path(atelier),
        "has_counsellor": bool(profile and profile.counsellor_id),
    }


@never_cache
@seeker_required
def submit(request, atelier):
    """GET: what will be sent (each answer, read-only) and the choice between the whole
    atelier and some exercises; POST: send it, then show the submissions."""
    seeker = request.user
    waiting = Submission.objects.is_waiting(seeker, atelier)
    answers = submissions.frozen_answers(submissions.snapshot(seeker, atelier))
    form = SubmitForm(request.POST or None, answers=answers)
    if request.method == "POST" and not waiting and form.is_valid():
        try:
            submission = submissions.submit(seeker, atelier, exercise_ids=form.exercise_ids())
        except ValueError as error:
            messages.error(request, str(error))
            return redirect(_submit_path(atelier))
        messages.success(
            request,
            _(
                "Your work was sent to your counsellor (submission n° %(number)s). You will get an e-mail once they have read it."
            )
            % {"number": submission.number},
        )
        return redirect(_submissions_path(atelier))
    if request.method == "POST" and waiting:
        messages.error(request, _("Your work is already waiting for your counsellor's review."))
        return redirect(_submissions_path(atelier))
    context = _common(request, atelier) | {
        "form": form,
        "answers": answers,
        "waiting": waiting,
        "answered": any(answer.answered for answer in answers),
    }
    return TemplateResponse(request, "ateliers/submit.html", context)


@never_cache
@seeker_required
def my_submissions(request, atelier):
    """The seeker's submissions of `atelier`, newest first, each with its frozen answers
    and the feedback beside them."""
    history = list(
        Submission.objects.filter(seeker=request.user, atelier=atelier)
        .select_related("reviewer")
        .order_by("-number")
    )
    for submission in history:
        submission.answers = submissions.frozen_answers(submission.snapshot, submission.exercise_feedback)
        submission.anchor_prefix = f"envoi-{submission.number}-"
    latest = history[0] if history else None
    context = _common(request, atelier) | {
        "submissions": history,
        "latest": latest,
        "to_revise": latest is not None and latest.is_to_revise,
        "can_send": latest is None or not latest.is_waiting,
    }
    return TemplateResponse(request, "ateliers/submissions.html", context)


# ---------------------------------------------------------------------------
# The counsellor's review page
# ---------------------------------------------------------------------------
@never_cache
@staff_required
def review(request, submission_id):
    """Read a submission and review it (once): feedback per exercise and overall, and
    the decision. A reviewed submission shows its review, read-only."""
    submission = reviewable_submission_or_404(request.user, submission_id)
    atelier = submission.atelier
    answers = submissions.frozen_answers(submission.snapshot, submission.exercise_feedback)
    waiting = submission.is_waiting
    form = ReviewForm(request.POST or None, answers=answers) if waiting else None
    if request.method == "POST":
        if not waiting:
            messages.error(request, _("This submission has already been reviewed."))
            return redirect(submission.review_url())
        if form.is_valid():
            try:
                submissions.review(
                    submission,
                    request.user,
                    decision=form.cleaned_data["decision"],
                    feedback=form.cleaned_data["feedback"],
                    exercise_feedback=form.exercise_feedback(),
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except ValueError as error:
                messages.error(request, str(error))
                return redirect(submission.review_url())
            messages.success(
                request,
                _("Your review of “%(title)s” was saved; %(name)s gets an e-mail.")
                % {"title": atelier.title, "name": submission.seeker},
            )
            return redirect("coaching:review_queue")
    history = list(
        Submission.objects.filter(seeker=submission.seeker_id, atelier=submission.atelier_id)
        .exclude(pk=submission.pk)
        .select_related("reviewer")
        .order_by("-number")
    )
    context = {
        "submission": submission,
        "seeker": submission.seeker,
        "atelier": atelier,
        "answers": answers,
        "waiting": waiting,
        "form": form,
        "fields": form.answers_with_fields() if form else [],
        "history": history,
    }
    return TemplateResponse(request, "ateliers/review.html", context)
