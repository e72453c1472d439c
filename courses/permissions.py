"""Who may do what with MOOCs: the one permission module of this app.

Roles are asked of accounts.permissions (one seeker check for the whole project); the
rules below are the courses' own:

* anyone reads the catalogue, a course's outline and its weeks; a page shows and
  records the progress of a seeker only (`learner`): staff read every page untracked;
* only a seeker enrols (`seeker_required`) and acts on a lesson (`lesson_action`);
* a seeker reads a lesson once enrolled and its week open (`lesson_refusal`); a
  visitor is sent to log in first; counsellors and editors read every lesson;
* the attestation and the survey of a course need the seeker's completed enrolment
  (`completed_enrolment_or_404`);
* editors and managers read the satisfaction survey report (`can_read_surveys`).
"""

from enum import Enum
from functools import wraps

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import is_seeker, seeker_required

from .models import Enrolment

__all__ = [
    "LessonRefusal",
    "can_read_surveys",
    "completed_enrolment_or_404",
    "is_seeker",
    "learner",
    "lesson_action",
    "lesson_refusal",
    "seeker_required",
]

#: Who reads the satisfaction survey report, besides superusers.
SURVEY_READERS = (Role.EDITOR, Role.MANAGER)


def learner(user):
    """The user whose enrolment and progress a course page shows and records: a seeker;
    None for visitors and staff, who read the courses untracked."""
    return user if is_seeker(user) else None


class LessonRefusal(Enum):
    NOT_ENROLLED = "not enrolled in the course"
    WEEK_LOCKED = "the lesson's week is not open yet"


def lesson_refusal(outline, lesson):
    """Why the seeker of `outline` (their course as they see it) may not read `lesson`
    now, or None: they must be enrolled, and the lesson's week open."""
    if outline.enrolment is None:
        return LessonRefusal.NOT_ENROLLED
    week = outline.week_of(lesson)
    if week is None or not week.is_open:
        return LessonRefusal.WEEK_LOCKED
    return None


def lesson_action(view):
    """A seeker's action on a lesson (lesson done, quiz answers, video watched): by POST
    only (405 otherwise); staff, who read lessons untracked, are sent back to the lesson;
    the view still checks, as for reading, that the lesson is open to the seeker."""

    @require_POST
    @wraps(view)
    def wrapper(request, lesson_page, *args, **kwargs):
        if request.user.is_authenticated and not is_seeker(request.user):
            return redirect(lesson_page.url)
        return view(request, lesson_page, *args, **kwargs)

    return wrapper


def completed_enrolment_or_404(user, course):
    """The seeker's enrolment in `course` if they completed it, else 404."""
    enrolment = Enrolment.objects.filter(seeker=user, course=course, completed_at__isnull=False).first()
    if enrolment is None:
        raise Http404
    return enrolment


def can_read_surveys(user):
    return user.is_authenticated and (user.is_superuser or user.role in SURVEY_READERS)
