"""The counsellor's review of a sent attempt (reached from the review queue through
`Attempt.review_url()`): the answers sent, each with its video, its measures and the
comments pinned to its times; the grid beside the seeker's self-assessment; the advice
and the decision.

Comments are added one at a time: by static/js/interview-review.js (which asks for
JSON) or, without JavaScript, by the same form with a time typed as minutes:seconds.
Only the seeker's current counsellor reaches these URLs
(interviews.permissions.attempt_for_review_or_404): 403 for the other roles, 404 for
any other counsellor.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.permissions import staff_required

from .. import reviews, submissions
from ..models import Attempt, Decision
from ..permissions import attempt_for_review_or_404


def score_field(criterion):
    return f"score_{criterion.pk}"


class ReviewForm(forms.Form):
    advice = forms.CharField(
        label=gettext_lazy("Overall advice"),
        required=False,
        max_length=reviews.ADVICE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Plain text. The seeker reads it beside their videos and your comments."),
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose “Validated” or “Practise again”.")},
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[score_field(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                coerce=int,
                choices=[(level, label) for level, label, _description in criterion.levels()],
                widget=forms.RadioSelect,
                error_messages={"required": _("Score “%(criterion)s”.") % {"criterion": criterion.name}},
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.PRACTISE_AGAIN and not (cleaned.get("advice") or "").strip():
            self.add_error("advice", _("Tell the seeker what to practise."))
        return cleaned

    def scores(self):
        return {str(criterion.pk): self.cleaned_data[score_field(criterion)] for criterion in self.criteria}

    def annotate(self, grid):
        """Each criterion's field name, checked value, errors and choices for the page."""
        for criterion, _mine, _theirs in grid:
            bound = self[score_field(criterion)]
            criterion.field_name, criterion.errors = bound.html_name, bound.errors
            criterion.checked = str(bound.value() or "")
            criterion.choices = [
                (level, label, description, f"{bound.auto_id}_{level}")
                for level, label, description in criterion.levels()
            ]


class CommentForm(forms.Form):
    take = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    at = forms.CharField(label=gettext_lazy("Time (minutes:seconds)"), max_length=12)
    text = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=reviews.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, takes, **kwargs):
        super().__init__(*args, **kwargs)
        self.takes = {take.pk: take for take in takes}
        self.fields["take"].choices = [(take.pk, take.pk) for take in takes]

    def clean_at(self):
        seconds = reviews.parse_time(self.cleaned_data["at"])
        if seconds is None:
            raise forms.ValidationError(_("Give the time as minutes:seconds, for example 1:05."))
        return seconds


def comment_url(attempt):
    return reverse("interviews:add_comment", args=[attempt.pk])


def _comment_json(attempt, comment):
    return {
        "id": comment.pk,
        "take": comment.take_id,
        "at_seconds": comment.at_seconds,
        "at_label": reviews.format_time(comment.at_seconds),
        "text": comment.text,
        "delete_url": reverse("interviews:delete_comment", args=[attempt.pk, comment.pk]),
    }


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _render(request, attempt, *, review_form=None, comment_form=None):
    """The review page: read-only once the review is given."""
    review = reviews.given_review(attempt)
    draft = getattr(attempt, "review", None) if review is None else review
    takes = reviews.sent_takes(attempt)
    found = submissions.answers(attempt, takes=takes)
    comments = reviews.comments_by_take(draft, takes)
    failed_take = comment_form.cleaned_data.get("take") if comment_form is not None else None
    for answer in found:
        answer.shown = answer.chosen
        answer.comments = comments.get(answer.shown.pk, []) if answer.shown else []
        answer.comment_form = comment_form if answer.shown and answer.shown.pk == failed_take else None
    criteria = submissions.criteria_of(attempt.interview)
    grid = reviews.grid_rows(criteria, attempt.self_assessment, review.scores if review else {})
    if review is None:
        review_form = review_form or ReviewForm(criteria=criteria)
        review_form.annotate(grid)
    others = (
        Attempt.objects.filter(
            seeker=attempt.seeker_id, interview=attempt.interview_id, submitted_at__isnull=False
        )
        .exclude(pk=attempt.pk)
        .select_related("review")
        .order_by("-number")
    )
    context = {
        "attempt": attempt,
        "seeker": attempt.seeker,
        "interview": attempt.interview,
        "answers": found,
        "review": review,
        "grid": grid,
        "form": review_form if review is None else None,
        "can_comment": review is None,
        "comment_url": comment_url(attempt),
        "others": list(others),
    }
    return TemplateResponse(request, "interviews/review/review.html", context)


@never_cache
@staff_required
def review(request, attempt_id):
    """GET: the review page. POST: give the review (the grid, advice, decision)."""
    attempt = attempt_for_review_or_404(request.user, attempt_id)
    if request.method != "POST":
        return _render(request, attempt)
    if reviews.given_review(attempt) is not None:
        messages.error(request, _("This interview has already been reviewed."))
        return redirect(attempt.review_url())
    form = ReviewForm(request.POST, criteria=submissions.criteria_of(attempt.interview))
    if form.is_valid():
        try:
            reviews.give(
                attempt,
                request.user,
                scores=form.scores(),
                advice=form.cleaned_data["advice"],
                decision=form.cleaned_data["decision"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValueError as error:
            messages.error(request, str(error))
            return redirect(attempt.review_url())
        messages.success(
            request,
            _("Your review of “%(title)s” was saved; %(name)s gets an e-mail.")
            % {"title": attempt.interview.title, "name": attempt.seeker},
        )
        return redirect("coaching:review_queue")
    return _render(request, attempt, review_form=form)


@never_cache
@staff_required
def add_comment(request, attempt_id):
    """POST: a comment at a time of one of the answers sent. JSON for the page's
    script (201, or 400 with the errors); else back to the answer, or the page again
    with the form's errors and what was typed."""
    attempt = attempt_for_review_or_404(request.user, attempt_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CommentForm(request.POST, takes=reviews.sent_takes(attempt))
    comment = None
    if form.is_valid():
        try:
            comment = reviews.add_comment(
                attempt,
                request.user,
                take=form.takes[form.cleaned_data["take"]],
                at_seconds=form.cleaned_data["at"],
                text=form.cleaned_data["text"],
            )
        except ValueError as error:
            form.add_error(None, str(error))
    if comment is not None:
        if _wants_json(request):
            return JsonResponse(_comment_json(attempt, comment), status=201)
        messages.success(
            request, _("Comment added at %(time)s.") % {"time": reviews.format_time(comment.at_seconds)}
        )
        return redirect(f"{attempt.review_url()}#question-{form.takes[comment.take_id].position}")
    if _wants_json(request):
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        return JsonResponse({"errors": errors}, status=400)
    if not form.cleaned_data.get("take"):  # no answer to show the form under
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(attempt.review_url())
    return _render(request, attempt, comment_form=form)


@never_cache
@staff_required
def delete_comment(request, attempt_id, comment_id):
    """POST: remove a comment from the review being written."""
    attempt = attempt_for_review_or_404(request.user, attempt_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not reviews.delete_comment(attempt, comment_id):
        raise Http404
    if _wants_json(request):
        return JsonResponse({"deleted": comment_id})
    messages.success(request, _("Comment deleted."))
    return redirect(attempt.review_url())
