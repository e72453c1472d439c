"""After a seeker completed a course: their attestation (a PDF) and their opinion."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..attestation import render_pdf
from ..forms import SurveyForm
from ..models import Attestation, SurveyResponse
from ..permissions import completed_enrolment_or_404, seeker_required


@never_cache
@seeker_required
def attestation_pdf(request, course):
    enrolment = completed_enrolment_or_404(request.user, course)
    attestation = Attestation.objects.issue(enrolment)
    pdf = render_pdf(attestation, request)
    filename = f"attestation-{course.slug}.pdf"
    return FileResponse(pdf, as_attachment=True, filename=filename, content_type="application/pdf")


@never_cache
@seeker_required
def survey(request, course):
    completed_enrolment_or_404(request.user, course)
    form = SurveyForm(request.POST or None, instance=SurveyResponse.objects.answer_of(request.user, course))
    if request.method == "POST" and form.is_valid():
        form.save(commit=False).submit()
        messages.success(request, _("Thank you for your opinion: it helps us improve this MOOC."))
        return redirect(course.url)
    return TemplateResponse(request, "courses/survey.html", {"page": course, "course": course, "form": form})
