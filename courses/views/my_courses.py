"""The seeker's progress page, "Mes formations" (a plain URL)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ..models import CourseIndexPage, Enrolment
from ..outline import outlines_for
from ..permissions import seeker_required


@never_cache
@seeker_required
def my_courses(request):
    """Every enrolled course with its progress per week."""
    enrolments = (
        Enrolment.objects.filter(seeker=request.user).select_related("course").order_by("-enrolled_at")
    )
    outlines = outlines_for(list(enrolments))
    catalogue = CourseIndexPage.objects.live().first()
    return render(request, "courses/my_courses.html", {"outlines": outlines, "catalogue": catalogue})
