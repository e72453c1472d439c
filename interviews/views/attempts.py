"""The seeker's pages after recording: assess oneself and send an attempt (choosing one
take per question), watch an attempt with its review, and the history of one's
attempts at an interview with the measures' trend. A take is deleted by
session.delete (the attempt's page posts there) or, keeping the draft, from the send
page.

Every page is the seeker's own (interviews.permissions.readable_attempts): another
seeker's attempt is a 404, the staff and editors get 403 (accounts.permissions).
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.permissions import seeker_required

from .. import recordings, reviews, submissions
from ..models import Attempt, MockInterviewPage, Take
from ..permissions import readable_attempts
from ..submissions import NOTES_MAX_LENGTH, criterion_field, question_field
from .session import deleted_message


class SendForm(forms.Form):
    """The self-assessment (one level per criterion), free notes and the take chosen
    for each question. Nothing is required to save a draft; sending checks all of it
    (submissions.sending_problems)."""

    notes = forms.CharField(
        label=gettext_lazy("My notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What went well, what you want to work on: your counsellor reads it."),
    )

    def __init__(self, *args, criteria, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria, self.answers = criteria, answers
        for criterion in criteria:
            self.fields[criterion_field(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(level, label) for level, label, _description in criterion.levels()],
                widget=forms.RadioSelect,
            )
        for answer in answers:
            self.fields[question_field(answer.position)] = forms.TypedChoiceField(
                label=_("Question %(number)s") % {"number": answer.position},
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(take.pk, take.pk) for take in answer.takes],
                widget=forms.RadioSelect,
            )

    def assessment(self):
        levels = {str(c.pk): self.cleaned_data.get(criterion_field(c)) for c in self.criteria}
        return {key: level for key, level in levels.items() if level is not None}

    def chosen(self):
        takes = {
            answer.position: self.cleaned_data.get(question_field(answer.position)) for answer in self.answers
        }
        return {position: take_id for position, take_id in takes.items() if take_id is not None}

    def annotate(self):
        """Give each criterion and answer what the template needs: its field's name,
        the value checked, its errors (the page lays the radios out with the videos)."""
        for criterion in self.criteria:
            bound = self[criterion_field(criterion)]
            criterion.field_name, criterion.errors = bound.html_name, bound.errors
            criterion.checked = str(bound.value() or "")
            criterion.choices = [
                (level, label, description, f"{bound.auto_id}_{level}")
                for level, label, description in criterion.levels()
            ]
        for answer in self.answers:
            bound = self[question_field(answer.position)]
            answer.field_name, answer.errors, answer.field_id = bound.html_name, bound.errors, bound.auto_id
            answer.checked = str(bound.value() or "")


def _initial(attempt, criteria, answers):
    initial = {"notes": attempt.notes}
    for criterion in criteria:
        initial[criterion_field(criterion)] = attempt.self_assessment.get(str(criterion.pk))
    for answer in answers:
        if answer.chosen:
            initial[question_field(answer.position)] = answer.chosen.pk
    return initial


def own_attempt_or_404(user, attempt_id):
    return get_object_or_404(readable_attempts(user).select_related("interview", "review"), pk=attempt_id)


def send_url(attempt):
    return reverse("interviews:send", args=[attempt.pk])


def history_url(interview):
    return reverse("interviews:history", args=[interview.pk])


@never_cache
@seeker_required
def send(request, attempt_id):
    """GET: the takes of each question (to replay and choose), the grid and the notes.
    POST: save the draft, delete a take (keeping what was typed), or send."""
    attempt = own_attempt_or_404(request.user, attempt_id)
    if attempt.is_sent:
        messages.info(request, _("This attempt was already sent to your counsellor."))
        return redirect(attempt.seeker_url())
    criteria = submissions.criteria_of(attempt.interview)
    found = submissions.answers(attempt)
    form = SendForm(
        request.POST or None, criteria=criteria, answers=found, initial=_initial(attempt, criteria, found)
    )
    if request.method == "POST" and form.is_valid():
        draft = {
            "self_assessment": form.assessment(),
            "notes": form.cleaned_data["notes"],
            "chosen": form.chosen(),
        }
        try:
            if "delete" in request.POST:
                # The draft needs the whole form, posted here: saved, then the take
                # goes by the one rule (the delete view's, session.delete).
                take = get_object_or_404(Take, attempt=attempt, pk=_int(request.POST["delete"]))
                submissions.save_draft(attempt, **draft)
                recordings.delete_take(request.user, take)
                messages.success(request, deleted_message(take))
                return redirect(f"{send_url(attempt)}#question-{take.position}")
            if request.POST.get("action") == "save":
                submissions.save_draft(attempt, **draft)
                messages.success(request, _("Your self-assessment was saved. You can send it later."))
                return redirect(send_url(attempt))
            submissions.submit(attempt, **draft)
            # Nothing more may arrive for a sent attempt: a late piece of upload is refused.
            recordings.drop_pending_uploads(attempt)
        except submissions.NotSent as error:
            for name, message in error.problems.items():
                form.add_error(name, message)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect(attempt.seeker_url())
        else:
            messages.success(
                request,
                _(
                    "Your interview was sent to your counsellor. You will get an e-mail once they have watched it."
                ),
            )
            return redirect(attempt.seeker_url())
    form.annotate()
    profile = getattr(request.user, "seeker_profile", None)
    context = {
        "attempt": attempt,
        "interview": attempt.interview,
        "answers": found,
        "criteria": criteria,
        "form": form,
        "has_counsellor": bool(profile and profile.counsellor_id),
        "history_url": history_url(attempt.interview),
    }
    return TemplateResponse(request, "interviews/attempts/send.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@never_cache
@seeker_required
def attempt_detail(request, attempt_id):
    """One attempt: each answer's video with its measures; once reviewed, the review
    beside them (the grid against the self-assessment, the advice, the comments that
    seek the video). The takes not sent are listed, private, with a delete button."""
    attempt = own_attempt_or_404(request.user, attempt_id)
    found = submissions.answers(attempt)
    review = reviews.given_review(attempt)
    shown = [answer.chosen for answer in found if answer.chosen] if attempt.is_sent else []
    comments = reviews.comments_by_take(review, shown)
    for answer in found:
        answer.shown = answer.chosen if attempt.is_sent else None
        answer.comments = comments.get(answer.shown.pk, []) if answer.shown else []
        answer.others = [take for take in answer.takes if take is not answer.shown]
    criteria = submissions.criteria_of(attempt.interview)
    context = {
        "attempt": attempt,
        "interview": attempt.interview,
        "answers": found,
        "review": review,
        "other_takes": [(answer, take) for answer in found for take in answer.others],
        "grid": reviews.grid_rows(criteria, attempt.self_assessment, review.scores if review else {}),
        "history_url": history_url(attempt.interview),
        "send_url": send_url(attempt),
    }
    return TemplateResponse(request, "interviews/attempts/detail.html", context)


@never_cache
@seeker_required
def delete_attempt(request, attempt_id):
    """POST, with the box ticked: delete the whole attempt (videos, measures, review)."""
    attempt = own_attempt_or_404(request.user, attempt_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the whole attempt is to be deleted."))
        return redirect(attempt.seeker_url())
    submissions.delete_attempt(attempt)
    messages.success(request, _("Attempt %(number)s was deleted.") % {"number": attempt.number})
    return redirect(history_url(attempt.interview))


@never_cache
@seeker_required
def history(request, interview_id):
    """The seeker's attempts at an interview, newest first, with their reviews, and
    the measures' trend from one attempt to the next (a table)."""
    interview = get_object_or_404(MockInterviewPage.objects.live(), pk=interview_id)
    attempts = list(
        Attempt.objects.filter(seeker=request.user, interview=interview)
        .with_answered()
        .select_related("review")
        .order_by("-number")
    )
    takes = Take.objects.filter(attempt__in=[attempt.pk for attempt in attempts]).only(
        "attempt_id", "position", "number", "chosen", "status", "measures", "files_deleted_at"
    )
    for attempt in attempts:
        attempt.given_review = reviews.given_review(attempt)
    context = {
        "interview": interview,
        "attempts": attempts,
        "question_count": interview.questions().count(),
        "trend": submissions.trend(attempts, takes),
    }
    return TemplateResponse(request, "interviews/attempts/history.html", context)
