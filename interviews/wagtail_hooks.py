"""Mock interviews in Wagtail's admin: question sets and assessment grids (snippets),
managed by editors (the "Editors" group gets their permissions in migration 0002)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import QuestionSet, Rubric


class QuestionSetViewSet(SnippetViewSet):
    model = QuestionSet
    icon = "help"
    menu_label = _("Question sets")
    list_display = ["title", "job_family"]
    list_filter = ["job_family"]
    search_fields = ["title"]


class RubricViewSet(SnippetViewSet):
    model = Rubric
    icon = "list-ol"
    menu_label = _("Assessment grids")
    list_display = ["title"]


class MockInterviewViewSetGroup(SnippetViewSetGroup):
    items = (QuestionSetViewSet, RubricViewSet)
    menu_icon = "user"
    menu_label = _("Mock interviews")
    menu_name = "mock-interviews"


register_snippet(MockInterviewViewSetGroup)
