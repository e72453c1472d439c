""" "Mon parcours": the seeker's own dashboard, and their requests to the counsellor."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import seeker_required
from activity import log

from .. import overview
from ..forms import SeekerRequestForm
from ..models import Assignment, AssignmentStatus, SeekerRequest, SeekerRequestKind


@never_cache
@seeker_required
def dashboard(request):
    """Assignments with their due dates and status, the modules joined with their
    progress, feedback received and what to do next; modules are read through
    `core.modules` only."""
    user = request.user
    today = timezone.localdate()
    views = sorted(
        overview.assignment_views(Assignment.objects.active().filter(seeker=user), today),
        key=lambda view: (view.status == AssignmentStatus.COMPLETED, view.due_date or today.max),
    )
    modules = overview.module_summaries(user)
    next_step = next((view for view in views if view.is_active), None)
    resume = None
    if next_step is None:
        resume = next((summary for summary in modules if summary.resume_url), None)
    context = {
        "profile": user.seeker_profile,
        "assignments": views,
        "modules": modules,
        "next_step": next_step,
        "resume": resume,
        "feedback": overview.feedback_for(user),
        "open_requests": SeekerRequest.objects.filter(seeker=user, handled_at__isnull=True),
        "request_form": SeekerRequestForm(),
        "today": today,
    }
    return render(request, "coaching/dashboard.html", context)


@require_POST
@seeker_required
def make_request(request):
    """The seeker asks to return to traditional follow-up, for an in-person interview or
    a callback. Returning to traditional follow-up takes effect at once."""
    form = SeekerRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what you would like."))
        return redirect("coaching:dashboard")
    asked = form.save(commit=False)
    asked.seeker = request.user
    asked.save()
    profile = request.user.seeker_profile
    if asked.kind == SeekerRequestKind.TRADITIONAL and (
        profile.web_volunteered_at or profile.web_validated_at
    ):
        profile.withdraw_from_web(request.user)
    log.record(request.user, f"request.{asked.kind}", target=asked)
    messages.success(request, _("Your request was sent to your counsellor."))
    return redirect("coaching:dashboard")
