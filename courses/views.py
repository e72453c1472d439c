"""What seekers do with MOOCs. The page models route here (RoutablePageMixin); the
progress page and attestation verification have plain URLs (courses/urls.py)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.images.models import Rendition
from wagtail.models import Site

from accounts.permissions import seeker_required
from activity import log
from media.models import ProcessingStatus

from . import cache, sql
from . import quiz as grading
from .attestation import render_pdf
from .forms import SurveyForm, VerificationForm
from .models import (
    Attestation,
    CompletedBy,
    CourseIndexPage,
    CoursePage,
    CourseTheme,
    Enrolment,
    LessonProgress,
    QuizAttempt,
    SurveyResponse,
)
from .models.pages import DURATIONS
from .outline import CourseOutline, outlines_for

VIDEO_DONE_PERCENT = 90
# A lesson's visit is written when the last one recorded is older than this.
SEEN_PRECISION = timedelta(minutes=5)
# How long a lesson body showing a video not ready yet stays cached.
PENDING_VIDEO_TIMEOUT = 60


def _private(response):
    """Pages that show one person's progress are never stored by a cache."""
    patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)
    return response


def _is_seeker(user):
    return user.is_authenticated and user.is_seeker


# ---------------------------------------------------------------------------
# Catalogue and course outline (public)
# ---------------------------------------------------------------------------
CARD_TEMPLATE = "courses/includes/course_card.html"
# What a card shows (courses/includes/course_card.html), and what filters and routes.
CARD_FIELDS = ("title", "slug", "url_path", "path", "depth", "summary", "total_hours")


def _catalogue_cards(request, index_page):
    """The live courses of the catalogue as cards: {"pk", "theme", "hours", "html"},
    the HTML without the seeker's badges; and the themes of these courses. Cached
    (courses.cache) per catalogue, site and language: a card is rendered, and its
    picture's rendition looked up, once per change of the content."""
    site = Site.find_for_request(request)
    language = get_language()
    cache_key = cache.key("cards", index_page.pk, site.pk if site else "", language, request=request)
    cached = cache.fetch(cache_key)
    if cached is not None:
        return cached
    courses = list(
        CoursePage.objects.live()
        .child_of(index_page)
        .select_related("theme", "image")
        .only(*CARD_FIELDS, "theme__name", "theme__slug", "image")
        .prefetch_related(Prefetch("image__renditions", queryset=Rendition.objects.all()))
        .order_by("path")
    )
    theme_ids = {course.theme_id for course in courses if course.theme_id}
    themes = [(theme.slug, theme.name) for theme in CourseTheme.objects.filter(pk__in=theme_ids)]
    cards = [
        {
            "pk": course.pk,
            "theme": course.theme.slug if course.theme else "",
            "hours": course.total_hours,
            "html": render_to_string(CARD_TEMPLATE, {"course": course, "request": request}),
        }
        for course in courses
    ]
    cached = (cards, themes)
    cache.store(cache_key, cached)
    return cached


def catalogue_context(request, index_page):
    cards, themes = _catalogue_cards(request, index_page)
    theme = request.GET.get("theme", "")
    if theme:
        cards = [card for card in cards if card["theme"] == theme]
    duration = request.GET.get("duree", "")
    for value, _label, low, high in DURATIONS:
        if duration == value:
            cards = [
                card for card in cards if card["hours"] >= low and (high is None or card["hours"] <= high)
            ]
    enrolled = sql.enrolled_courses(request.user.pk) if _is_seeker(request.user) else {}
    courses = [
        dict(card, is_enrolled=card["pk"] in enrolled, is_completed=bool(enrolled.get(card["pk"])))
        for card in cards
    ]
    return {
        "courses": courses,
        "themes": [{"slug": slug, "name": name} for slug, name in themes],
        "durations": [(value, label) for value, label, _low, _high in DURATIONS],
        "selected_theme": theme,
        "selected_duration": duration,
        "filtered": bool(theme or duration),
    }


def _structure(page):
    """The cached structure of the page's course, when routing found the page in it."""
    return getattr(page, "course_structure", None)


def _live_course_of(page):
    """(live course of a week or lesson or None, structure or None)."""
    structure = _structure(page)
    if structure is not None:
        return (structure.course if structure.course.live else None), structure
    return CoursePage.objects.ancestor_of(page).live().first(), None


def course_outline(request, course):
    outline = CourseOutline(
        course, request.user if _is_seeker(request.user) else None, structure=_structure(course)
    )
    context = {
        "outline": outline,
        "enrolment": outline.enrolment,
        "resume": outline.resume(),
        "can_enrol": _is_seeker(request.user),
    }
    if outline.enrolment and outline.enrolment.completed_at:
        context["attestation"] = Attestation.objects.filter(seeker=request.user, course=course).first()
        context["survey_answered"] = SurveyResponse.objects.filter(
            course=course, seeker=request.user
        ).exists()
    response = course.render(request, context_overrides=context)
    return _private(response) if request.user.is_authenticated else response


@require_POST
@seeker_required
def enrol(request, course):
    enrolment, created = Enrolment.objects.enrol(request.user, course)
    if created:
        messages.success(request, _("You are enrolled. Week 1 is open: good start!"))
    return redirect(course.url)


@seeker_required
def unenrol(request, course):
    enrolment = get_object_or_404(Enrolment, seeker=request.user, course=course)
    if request.method == "POST":
        enrolment.unenrol()
        messages.success(
            request,
            _("You left “%(course)s”. Your progress is kept if you come back.") % {"course": course.title},
        )
        return redirect(course.url)
    return _private(TemplateResponse(request, "courses/unenrol.html", {"page": course, "course": course}))


def week(request, week_page):
    course, structure = _live_course_of(week_page)
    if course is None:
        raise Http404
    outline = CourseOutline(course, request.user if _is_seeker(request.user) else None, structure=structure)
    entry = next((w for w in outline.weeks if w.page.pk == week_page.pk), None)
    response = TemplateResponse(
        request,
        week_page.get_template(request),
        {"page": week_page, "self": week_page, "course": course, "outline": outline, "week": entry},
    )
    return _private(response) if request.user.is_authenticated else response


# ---------------------------------------------------------------------------
# Lessons (enrolled seekers; staff read them freely)
# ---------------------------------------------------------------------------
def _open_lesson(request, lesson):
    """(course, outline, error response): who may read `lesson` now.

    A visitor is sent to log in; a seeker must be enrolled and the lesson's week open
    (a locked week answers 403 with its opening date, even by URL); counsellors and
    editors read every lesson, untracked.
    """
    user = request.user
    if not user.is_authenticated:
        return None, None, redirect_to_login(request.get_full_path())
    course, structure = _live_course_of(lesson)
    if course is None:
        raise Http404
    if not user.is_seeker:
        return course, CourseOutline(course, structure=structure), None
    outline = CourseOutline(course, user, structure=structure)
    if outline.enrolment is None:
        messages.info(request, _("Enrol in this MOOC to follow its lessons."))
        return course, None, redirect(course.url)
    week_entry = outline.week_of(lesson)
    if week_entry is None or not week_entry.is_open:
        response = TemplateResponse(
            request,
            "courses/locked.html",
            {"page": lesson, "course": course, "week": week_entry},
            status=403,
        )
        return course, outline, _private(response)
    return course, outline, None


def _progress_row(user, lesson, course, now, outline=None):
    """The seeker's progress row of `lesson`: the outline's, else read or created."""
    row = outline.progress_rows.get((user.pk, lesson.pk)) if outline is not None else None
    if row is None:
        row, _created = LessonProgress.objects.get_or_create(
            seeker=user, lesson=lesson, defaults={"course": course, "first_seen_at": now, "last_seen_at": now}
        )
    return row


def _record_visit(user, lesson, course, outline, now):
    """The progress row of the lesson a seeker opens, created on the first visit. The
    visit is written only when it changes something: `last_seen_at` when it is older
    than SEEN_PRECISION, the enrolment's "resume here" lesson when it is another one."""
    row = _progress_row(user, lesson, course, now, outline)
    if not now - SEEN_PRECISION < row.last_seen_at <= now:
        LessonProgress.objects.filter(pk=row.pk).update(last_seen_at=now)
        row.last_seen_at = now
    enrolment = outline.enrolment
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson_id = lesson.pk
    return row


def _quiz_results(user, lesson):
    """{quiz id: result of the seeker's latest attempt} of the lesson's quizzes."""
    if not lesson.has_quiz:
        return {}
    quizzes = lesson.quizzes()
    latest = {}
    for attempt in QuizAttempt.objects.filter(seeker=user, lesson=lesson).order_by("created_at"):
        latest[attempt.quiz_id] = attempt
    results = {}
    for quiz_id, attempt in latest.items():
        if quiz_id in quizzes:
            chosen = {int(q): set(a) for q, a in attempt.answers.items()}
            results[quiz_id] = grading.grade(quizzes[quiz_id], chosen)
    return results


def _render_body(request, lesson):
    """The lesson's body as segments: ("html", the blocks between two quizzes rendered)
    or ("quiz", block id); and how long they may be cached.

    The blocks are rendered with the request and the page only: what they show must not
    depend on who reads (quizzes, which show the seeker's result, are rendered apart).
    A video not ready yet is kept a minute only: its processing ends with no signal
    when it fails.
    """
    context = {"request": request, "page": lesson, "self": lesson}
    segments, parts, timeout = [], [], cache.TIMEOUT
    for block in lesson.body:
        if block.block_type == "quiz":
            if parts:
                segments.append(("html", mark_safe("".join(parts))))  # noqa: S308 - rendered templates
                parts = []
            segments.append(("quiz", block.id))
            continue
        parts.append(block.render_as_block(context=context))
        if block.block_type == "video":
            asset = block.value.get("video")
            if asset is None or asset.status != ProcessingStatus.READY:
                timeout = PENDING_VIDEO_TIMEOUT
    if parts:
        segments.append(("html", mark_safe("".join(parts))))  # noqa: S308 - rendered templates
    return segments, timeout


def _body_segments(request, lesson):
    """_render_body's segments, from the cache (per lesson and language) unless the
    lesson is previewed."""
    if getattr(request, "is_preview", False):
        return _render_body(request, lesson)[0]
    cache_key = cache.key("body", lesson.pk, lesson.live_revision_id, get_language(), request=request)
    segments = cache.fetch(cache_key)
    if segments is None:
        segments, timeout = _render_body(request, lesson)
        cache.store(cache_key, segments, timeout)
    return segments


def lesson(request, lesson_page):
    course, outline, refusal = _open_lesson(request, lesson_page)
    if refusal:
        return refusal
    progress = None
    results = {}
    tracked = request.user.is_seeker and not getattr(request, "is_preview", False)
    if tracked:
        progress = _record_visit(request.user, lesson_page, course, outline, timezone.now())
        results = _quiz_results(request.user, lesson_page)
    previous, following = outline.neighbours(lesson_page)
    segments = _body_segments(request, lesson_page)
    quizzes = lesson_page.quizzes() if any(kind == "quiz" for kind, _value in segments) else {}
    url = lesson_page.get_url(request)  # with the request: the site's root paths are read once
    items = []
    for kind, value in segments:
        if kind == "html":
            items.append({"html": value})
        elif value in quizzes:
            action = url + lesson_page.reverse_subpage("quiz", kwargs={"quiz_id": value})
            items.append(
                {"quiz_id": value, "quiz": quizzes[value], "action": action, "result": results.get(value)}
            )
    context = {
        "course": course,
        "outline": outline,
        "week": outline.week_of(lesson_page),
        "progress": progress,
        "items": items,
        "tracked": tracked,
        "previous": previous,
        "next": following,
        "done_url": url + lesson_page.reverse_subpage("mark_done"),
        "video_url": url + lesson_page.reverse_subpage("video"),
    }
    return _private(lesson_page.render(request, context_overrides=context))


def _seeker_action(request, lesson_page):
    """Common checks of the POST actions on a lesson; returns (course, outline, refusal)."""
    if request.method != "POST":
        return None, None, HttpResponseNotAllowed(["POST"])
    if request.user.is_authenticated and not request.user.is_seeker:
        return None, None, redirect(lesson_page.url)
    return _open_lesson(request, lesson_page)


def _after_lesson_done(request, outline, now):
    if outline.enrolment.check_completion(now=now):
        messages.success(request, _("Congratulations, you completed this MOOC! Your attestation is ready."))


def mark_done(request, lesson_page):
    course, outline, refusal = _seeker_action(request, lesson_page)
    if refusal:
        return refusal
    if lesson_page.has_quiz:
        messages.error(request, _("Pass the quiz to finish this lesson."))
        return redirect(lesson_page.url)
    now = timezone.now()
    progress = _progress_row(request.user, lesson_page, course, now, outline)
    if progress.complete(CompletedBy.SEEKER, now=now):
        _after_lesson_done(request, outline, now)
    _previous, following = outline.neighbours(lesson_page)
    target = following if following is not None and outline.week_of(following).is_open else course
    return redirect(target.url)


def submit_quiz(request, lesson_page, quiz_id):
    course, outline, refusal = _seeker_action(request, lesson_page)
    if refusal:
        return refusal
    quiz = lesson_page.quizzes().get(quiz_id)
    if quiz is None:
        raise Http404
    chosen = grading.parse_choices(request.POST, quiz_id, quiz)
    result = grading.grade(quiz, chosen)
    now = timezone.now()
    QuizAttempt.objects.create(
        seeker=request.user,
        lesson=lesson_page,
        quiz_id=quiz_id,
        answers={str(q): sorted(a) for q, a in chosen.items()},
        score=result.score,
        passed=result.passed,
        created_at=now,
    )
    verb = "course.quiz_passed" if result.passed else "course.quiz_failed"
    log.record(request.user, verb, target=lesson_page, when=now, score=result.score)
    if result.passed:
        progress = _progress_row(request.user, lesson_page, course, now, outline)
        other_quizzes = set(lesson_page.quizzes()) - {quiz_id}
        passed = set(
            QuizAttempt.objects.filter(
                seeker=request.user, lesson=lesson_page, quiz_id__in=other_quizzes, passed=True
            ).values_list("quiz_id", flat=True)
        )
        if passed >= other_quizzes and progress.complete(CompletedBy.QUIZ, now=now):
            _after_lesson_done(request, outline, now)
        messages.success(request, _("Quiz passed: %(score)s %% of right answers.") % {"score": result.score})
    else:
        messages.warning(
            request,
            _("%(score)s %% of right answers; %(pass_mark)s %% are needed. Read the feedback and try again.")
            % {"score": result.score, "pass_mark": result.pass_mark},
        )
    # The anchor takes the reader (and the keyboard focus) to the result and its feedback.
    return redirect(f"{lesson_page.url}#quiz-{quiz_id}-result")


def video_progress(request, lesson_page):
    """The player reports how much of the lesson's video was watched (0–100)."""
    course, outline, refusal = _seeker_action(request, lesson_page)
    if refusal:
        return refusal
    try:
        watched = max(0, min(100, int(request.POST.get("percent", ""))))
    except ValueError:
        return JsonResponse({"error": _("Invalid percentage.")}, status=400)
    now = timezone.now()
    progress = _progress_row(request.user, lesson_page, course, now, outline)
    if watched > progress.video_percent:
        progress.video_percent = watched
        progress.save(update_fields=["video_percent"])
    done = progress.is_done
    if watched >= VIDEO_DONE_PERCENT and not lesson_page.has_quiz:
        if progress.complete(CompletedBy.VIDEO, now=now):
            outline.enrolment.check_completion(now=now)
        done = True
    return JsonResponse({"percent": progress.video_percent, "done": done})


# ---------------------------------------------------------------------------
# Completion: attestation and survey
# ---------------------------------------------------------------------------
def _completed_enrolment(request, course):
    enrolment = Enrolment.objects.filter(
        seeker=request.user, course=course, completed_at__isnull=False
    ).first()
    if enrolment is None:
        raise Http404
    return enrolment


@never_cache
@seeker_required
def attestation_pdf(request, course):
    enrolment = _completed_enrolment(request, course)
    attestation = Attestation.objects.issue(enrolment)
    pdf = render_pdf(attestation, request)
    filename = f"attestation-{course.slug}.pdf"
    return FileResponse(pdf, as_attachment=True, filename=filename, content_type="application/pdf")


@never_cache
@seeker_required
def survey(request, course):
    _completed_enrolment(request, course)
    instance = SurveyResponse.objects.filter(course=course, seeker=request.user).first()
    form = SurveyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        response = form.save(commit=False)
        response.course, response.seeker = course, request.user
        response.save()
        log.record(request.user, "course.survey", target=course, rating=response.rating)
        messages.success(request, _("Thank you for your opinion: it helps us improve this MOOC."))
        return redirect(course.url)
    return TemplateResponse(request, "courses/survey.html", {"page": course, "course": course, "form": form})


# ---------------------------------------------------------------------------
# Plain URLs: the seeker's progress page and the public verification
# ---------------------------------------------------------------------------
@never_cache
@seeker_required
def my_courses(request):
    """ "Mes formations": every enrolled course with its progress per week."""
    enrolments = (
        Enrolment.objects.filter(seeker=request.user).select_related("course").order_by("-enrolled_at")
    )
    outlines = outlines_for(list(enrolments))
    catalogue = CourseIndexPage.objects.live().first()
    return render(request, "courses/my_courses.html", {"outlines": outlines, "catalogue": catalogue})


def verify(request, code=None):
    """Anyone can check an attestation: it shows what the attestation says, nothing more."""
    form = VerificationForm(request.GET if "code" in request.GET else None)
    if code is None and form.is_valid():
        return redirect("courses:attestation", code=form.cleaned_data["code"])
    attestation = None
    if code is not None:
        attestation = Attestation.objects.filter(code=code.upper()).first()
    response = render(
        request,
        "courses/verify.html",
        {"form": form, "code": code, "attestation": attestation},
        status=404 if code is not None and attestation is None else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
