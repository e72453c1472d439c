"""The seeker's side of an e-atelier: its overview, its steps and their exercises.

The page models route here (ateliers/models/pages.py). An answer is saved by
`save_answer`, either with the exercise's "Save" button (a normal form: redirect
back, or the page again with the errors) or as a draft by static/js/autosave.js
(JSON); each kind of exercise (ateliers/blocks.py) reads its own form and says what
its part of the page shows. Answers are read-only
while the seeker's latest submission waits for review. Counsellors read the steps'
content here, never a seeker's answers: those are on the review page.
"""

import datetime
import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from accounts.permissions import is_seeker, seeker_required
from activity import log
from activity.models import ActivityEntry

from ..blocks import ExerciseBlock
from ..models import Answer, AtelierPage, Submission, SubmittedFile

LOG_VERB = "atelier.answer_saved"
# Drafts save every few seconds while the seeker types: the activity log gets at
# most one entry per exercise in this time.
LOG_EVERY = datetime.timedelta(hours=1)


def _private(response):
    """Pages that show one person's work are never stored by a cache."""
    patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)
    return response


def _wants_json(request):
    """An autosave (static/js/autosave.js), as opposed to the form's own submission."""
    return (
        request.headers.get("X-Requested-With") == "fetch"
        or "application/json" in request.headers.get("Accept", "")
        or request.POST.get("_autosave") == "1"
    )


def _atelier_of(step_page, request):
    ateliers = AtelierPage.objects.ancestor_of(step_page)
    if not getattr(request, "is_preview", False):  # editors preview drafts
        ateliers = ateliers.live()
    atelier = ateliers.first()
    if atelier is None:
        raise Http404
    return atelier


def _steps(atelier):
    # The pager and the outline need titles and URLs, not the steps' content.
    return list(atelier.steps().defer("body"))


def _submissions(seeker, atelier):
    """(latest submission, latest reviewed submission) of the seeker in the atelier."""
    history = (
        Submission.objects.filter(seeker=seeker, atelier=atelier)
        .defer("snapshot")
        .select_related("reviewer")
        .order_by("-number")
    )
    latest = history.first()
    if latest is None or latest.reviewed_at:
        return latest, latest
    return latest, history.filter(reviewed_at__isnull=False).first()


def _route_url(page, name, request):
    """The URL of one of the page's routes; None if the route cannot be reversed."""
    try:
        return page.get_url(request) + page.reverse_subpage(name)
    except NoReverseMatch:
        return None


def _exercise_url(step_page, base_url, exercise_id, route, **kwargs):
    """The URL of one of the step's routes for an exercise ("save_answer", "cv")."""
    return base_url + step_page.reverse_subpage(route, kwargs={"exercise_id": exercise_id, **kwargs})


def _is_waiting(submission):
    return submission is not None and submission.is_waiting


# ---------------------------------------------------------------------------
# Overview (public) and steps (logged in)
# ---------------------------------------------------------------------------
def atelier_overview(request, atelier):
    """What the atelier is about and its steps; for a seeker, how far they are."""
    steps = _steps(atelier)
    seeker = request.user if is_seeker(request.user) else None
    answered = {}
    context = {
        "steps": None,
        "is_seeker": seeker is not None,
        "submit_url": _route_url(atelier, "submit", request),
        "submissions_url": _route_url(atelier, "submissions", request),
    }
    if seeker is not None:
        answered = dict(
            Answer.objects.filter(seeker=seeker, atelier=atelier)
            .values_list("step_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        latest = (
            Submission.objects.filter(seeker=seeker, atelier=atelier)
            .defer("snapshot")
            .order_by("-number")
            .first()
        )
        context.update(
            progress=atelier.progress_for(seeker),
            latest=latest,
            waiting=_is_waiting(latest),
            has_answers=bool(answered),
        )
    rows = []
    for step_page in steps:
        total = step_page.exercise_count
        done = min(answered.get(step_page.pk, 0), total)
        rows.append(
            {
                "page": step_page,
                "answered": done,
                "total": total,
                "state": "done" if total and done == total else ("started" if done else ""),
            }
        )
    context["steps"] = rows
    if seeker is not None and rows:
        if not answered:
            context["resume"], context["resume_label"] = rows[0]["page"], _("Start the atelier")
        else:
            unfinished = next((row for row in rows if row["total"] and row["state"] != "done"), None)
            if unfinished is not None:
                context["resume"], context["resume_label"] = (
                    unfinished["page"],
                    _("Continue where I left off"),
                )
    response = atelier.render(request, context_overrides=context)
    return _private(response) if request.user.is_authenticated else response


def step(request, step_page):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _render_step(request, step_page)


def _render_step(request, step_page, *, errors=None, posted=None):
    """The step page; `errors` and `posted` ({exercise id: ...}) after a refused save."""
    atelier = _atelier_of(step_page, request)
    steps = _steps(atelier)
    seeker = request.user if is_seeker(request.user) else None
    answers, latest, reviewed = {}, None, None
    if seeker is not None:
        answers = {
            answer.exercise_id: answer for answer in Answer.objects.filter(seeker=seeker, step=step_page)
        }
        latest, reviewed = _submissions(seeker, atelier)
    locked = _is_waiting(latest)
    errors, posted = errors or {}, posted or {}
    base_url = step_page.get_url(request)
    items, error_summary = [], []
    for block in step_page.body:
        exercise = block.block
        if not isinstance(exercise, ExerciseBlock) or seeker is None:
            items.append({"block": block})
            continue
        answer = answers.get(block.id)
        item_errors = errors.get(block.id, {})
        route_url = functools.partial(_exercise_url, step_page, base_url, block.id)
        item = {
            "block": block,
            "exercise": exercise,
            "kind": block.block_type,
            "id": block.id,
            "value": block.value,
            "template": exercise.form_template,
            "answer": answer,
            "action": route_url("save_answer"),
            "errors": item_errors,
            "locked": locked,
            "feedback": reviewed.exercise_feedback.get(block.id, "") if reviewed else "",
            **exercise.step_context(block.value, answer, posted.get(block.id), route_url=route_url),
        }
        items.append(item)
        error_summary += [
            {"exercise": block.value["title"], "id": block.id, "message": message}
            for message in item_errors.values()
        ]
    position = next((n for n, page in enumerate(steps) if page.pk == step_page.pk), None)
    context = {
        "atelier": atelier,
        "index": atelier.get_parent(),
        "items": items,
        "is_seeker": seeker is not None,
        "locked": locked,
        "latest": latest,
        "reviewed": reviewed,
        "submissions_url": _route_url(atelier, "submissions", request) if locked else None,
        "error_summary": error_summary,
        "has_autosave": not locked
        and any(item["exercise"].autosaves for item in items if "exercise" in item),
        "position": None if position is None else position + 1,
        "step_count": len(steps),
        "previous": steps[position - 1] if position else None,
        "next": steps[position + 1] if position is not None and position + 1 < len(steps) else None,
    }
    return _private(step_page.render(request, context_overrides=context))


# ---------------------------------------------------------------------------
# Saving an answer
# ---------------------------------------------------------------------------
def _saved_message(now):
    return _("Draft saved at %(time)s") % {"time": formats.time_format(timezone.localtime(now))}


def _forget_file(seeker, name):
    """Delete a replaced file once the new one is saved, unless a submission (a frozen
    copy of the answers) still refers to it."""
    if SubmittedFile.objects.filter(seeker=seeker, name=name).exists():
        return
    storage = Answer._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(name))


def _store(answer, exercise, now):
    """Save `answer`; an empty one is not kept (unless its kind keeps it). True if it
    is saved."""
    if exercise.is_empty_answer(answer):
        if answer.pk is None:
            return False
        if not exercise.keeps_empty_answer:
            answer.delete()
            return False
    answer.updated_at = now
    if answer.pk is None:
        answer.created_at = now
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        # The first save of this exercise, twice at once (two tabs): update the other.
        existing = Answer.objects.get(seeker=answer.seeker, exercise_id=answer.exercise_id)
        answer.pk, answer.created_at = existing.pk, existing.created_at
        answer._state.adding = False
        answer.save()
    return True


def _record_work(seeker, atelier, step_page, exercise_id, now):
    """One entry in the activity log per exercise and hour, however often drafts save."""
    recent = ActivityEntry.objects.filter(
        seeker=seeker, verb=LOG_VERB, created_at__gt=now - LOG_EVERY, data__exercise=exercise_id
    ).exists()
    if not recent:
        log.record(seeker, LOG_VERB, target=atelier, when=now, exercise=exercise_id, step=step_page.title)


def save_answer(request, step_page, exercise_id):
    """Save the seeker's answer to one exercise of the step (POST only). An autosave
    from a page whose session ended gets a JSON refusal, not the log-in page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if _wants_json(request) and not request.user.is_authenticated:
        message = _("You are logged out: log in again, then copy your text back if it was lost.")
        return JsonResponse({"errors": {"__all__": message}}, status=403)
    return _save_seekers_answer(request, step_page, exercise_id)


@seeker_required
def _save_seekers_answer(request, step_page, exercise_id):
    wants_json = _wants_json(request)
    block = step_page.exercises().get(exercise_id)
    if block is None:
        raise Http404
    exercise = block.block
    atelier = _atelier_of(step_page, request)
    seeker = request.user
    step_url = step_page.get_url(request)

    if Submission.objects.is_waiting(seeker, atelier):
        message = _(
            "Your work is waiting for review: you can change your answers once your counsellor has answered."
        )
        if wants_json:
            return JsonResponse({"errors": {"__all__": message}, "locked": True}, status=409)
        messages.warning(request, message)
        return redirect(f"{step_url}#exercise-{exercise_id}")

    answer = Answer.objects.filter(seeker=seeker, exercise_id=exercise_id).first()
    if answer is None:
        answer = Answer(seeker=seeker, exercise_id=exercise_id)
    previous_file = answer.file.name if answer.file else ""
    answer.atelier, answer.step, answer.kind = atelier, step_page, block.block_type
    outcome = exercise.save_answer(block.value, answer, request.POST, request.FILES)
    now = timezone.now()
    saved = False
    if outcome.updated:
        saved = _store(answer, exercise, now)
        if saved:
            if previous_file and answer.file.name != previous_file:
                _forget_file(seeker, previous_file)
            _record_work(seeker, atelier, step_page, exercise_id, now)

    if wants_json:
        payload = {}
        if outcome.updated:
            payload.update(saved_at=now.isoformat(), message=_saved_message(now))
        if outcome.errors:
            payload["errors"] = outcome.errors
        if saved:
            payload.update(exercise.after_save(block.value, answer).payload)
        return JsonResponse(payload, status=400 if not outcome.updated else 200)

    if outcome.errors:
        if outcome.updated:
            messages.warning(
                request, _("Your draft is saved, but some fields need a correction: they are marked.")
            )
        return _render_step(
            request, step_page, errors={exercise_id: outcome.errors}, posted={exercise_id: request.POST}
        )
    saved_notice = exercise.after_save(block.value, answer)
    messages.success(request, saved_notice.message)
    return redirect(f"{step_url}#exercise-{exercise_id}{saved_notice.fragment}")
