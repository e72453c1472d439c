"""The satisfaction survey report, for editors, in Wagtail's admin (Reports)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ..models import SurveyResponse
from ..permissions import can_read_surveys


def survey_report(request):
    """Per MOOC: answers, mean rating and distribution; then the latest comments."""
    if not can_read_surveys(request.user):
        raise PermissionDenied
    summary = list(SurveyResponse.objects.summary_by_course())
    for row in summary:
        row["distribution"] = [(n, row[f"rated_{n}"]) for n in range(5, 0, -1)]
    comments = (
        SurveyResponse.objects.exclude(comment="").select_related("course").order_by("-created_at")[:50]
    )
    return render(request, "courses/admin/survey_report.html", {"summary": summary, "comments": comments})
