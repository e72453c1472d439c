"""A course's outline (the course page) and its weeks: anyone reads them; a seeker
sees their enrolment and progress there."""

from django.http import Http404
from django.template.response import TemplateResponse

from ..models import Attestation, SurveyResponse
from ..outline import CourseOutline
from ..permissions import is_seeker, learner
from ..structure import found_by_routing, live_course_of
from .cache_control import private_when_logged_in


def course_outline(request, course):
    outline = CourseOutline(course, learner(request.user), structure=found_by_routing(course))
    context = {
        "outline": outline,
        "enrolment": outline.enrolment,
        "resume": outline.resume(),
        "can_enrol": is_seeker(request.user),
    }
    if outline.enrolment and outline.enrolment.completed_at:
        context["attestation"] = Attestation.objects.filter(seeker=request.user, course=course).first()
        context["survey_answered"] = SurveyResponse.objects.filter(
            course=course, seeker=request.user
        ).exists()
    return private_when_logged_in(request, course.render(request, context_overrides=context))


def week(request, week_page):
    course, structure = live_course_of(week_page)
    if course is None:
        raise Http404
    outline = CourseOutline(course, learner(request.user), structure=structure)
    entry = next((w for w in outline.weeks if w.page.pk == week_page.pk), None)
    response = TemplateResponse(
        request,
        week_page.get_template(request),
        {"page": week_page, "self": week_page, "course": course, "outline": outline, "week": entry},
    )
    return private_when_logged_in(request, response)
