from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("MOOCs")

    def ready(self):
        from activity import verbs

        from . import cache

        cache.connect_signals()

        verbs.register("course.enrolled", _("enrolled in a MOOC"))
        verbs.register("course.unenrolled", _("left a MOOC"))
        verbs.register("course.lesson_done", _("finished a lesson"))
        verbs.register("course.quiz_passed", _("passed a quiz"))
        verbs.register("course.quiz_failed", _("failed a quiz"))
        verbs.register("course.completed", _("completed a MOOC"))
        verbs.register("course.survey", _("gave their opinion on a MOOC"))
