"""What seekers do with MOOCs, by page. The page models route here (their serve() and
RoutablePageMixin routes import the views below from this package); the seeker's
progress page and the attestation check have plain URLs (courses/urls.py), the
survey report a URL in Wagtail's admin (courses/wagtail_hooks.py).

* catalogue: the catalogue's course cards and filters (CourseIndexPage.get_context);
* course: a course's outline and its weeks;
* enrolment: enrol, leave a course;
* lessons: read a lesson (lesson_body: its rendered body, cached);
* lesson_actions: a lesson done, a quiz answered, a video watched;
* completion: the attestation PDF and the satisfaction survey;
* my_courses, verification, survey_report: the plain and admin URLs.

Who may do what is courses.permissions; what the actions write, the models and
courses.tracking.
"""

from .catalogue import catalogue_context
from .completion import attestation_pdf, survey
from .course import course_outline, week
from .enrolment import enrol, unenrol
from .lesson_actions import mark_done, submit_quiz, video_progress
from .lessons import lesson

__all__ = [
    "attestation_pdf",
    "catalogue_context",
    "course_outline",
    "enrol",
    "lesson",
    "mark_done",
    "submit_quiz",
    "survey",
    "unenrol",
    "video_progress",
    "week",
]
