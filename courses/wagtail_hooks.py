"""MOOCs in Wagtail's admin: the themes snippet and the satisfaction survey report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CourseTheme
from .permissions import can_read_surveys
from .views.survey_report import survey_report


class CourseThemeViewSet(SnippetViewSet):
    model = CourseTheme
    icon = "tag"
    menu_label = _("MOOC themes")
    list_display = ["name", "slug"]
    add_to_admin_menu = False


register_snippet(CourseThemeViewSet)


@hooks.register("register_admin_urls")
def register_survey_report_url():
    return [path("reports/mooc-survey/", survey_report, name="courses_survey_report")]


class SurveyReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_surveys(request.user)


@hooks.register("register_reports_menu_item")
def register_survey_report_menu_item():
    return SurveyReportMenuItem(
        _("MOOC satisfaction"), reverse("courses_survey_report"), icon_name="list-ul", order=700
    )
