"""A seeker enrols in a course, or leaves it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Enrolment
from ..permissions import seeker_required
from .cache_control import private


@require_POST
@seeker_required
def enrol(request, course):
    _enrolment, created = Enrolment.objects.enrol(request.user, course)
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
    return private(TemplateResponse(request, "courses/unenrol.html", {"page": course, "course": course}))
