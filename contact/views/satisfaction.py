"""The seeker's satisfaction survey, and the manager's figures."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from coaching.permissions import assignable_counsellors

from .. import satisfaction
from ..models import Satisfaction, SatisfactionChannel
from ..permissions import can_see_satisfaction

PERIODS = (30, 90, 365)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, survey_id):
    """The seeker's own survey (anyone else: 404), answered once."""
    offered = get_object_or_404(Satisfaction, pk=survey_id, seeker=request.user)
    form = satisfaction.SatisfactionForm(instance=offered)
    if request.method == "POST" and not offered.answered_at:
        form = satisfaction.SatisfactionForm(request.POST, instance=offered)
        if form.is_valid():
            satisfaction.answer(
                offered, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Thank you for your opinion."))
            about_messages = offered.channel == SatisfactionChannel.MESSAGES
            return redirect("contact:my_messages" if about_messages else "contact:my_appointments")
    return render(request, "contact/satisfaction/survey.html", {"survey": offered, "form": form})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def report(request):
    """The manager's figures for their team, per counsellor, per channel and per module."""
    if not can_see_satisfaction(request.user):
        raise Http404
    days = request.GET.get("jours", "")
    days = int(days) if days.isdigit() and int(days) in PERIODS else 90
    until = timezone.now()
    since = until - datetime.timedelta(days=days)
    counsellors = assignable_counsellors(request.user)
    period = {"since": since, "until": until}
    no_counsellor, no_answer = _("No counsellor in your team yet."), _("No answer in this period.")
    tables = [
        (
            _("Per counsellor"),
            satisfaction.by_counsellor(counsellors, **period),
            _("Counsellor"),
            no_counsellor,
        ),
        (_("Per channel"), satisfaction.by_channel(counsellors, **period), _("Channel"), no_answer),
        (
            _("Per module (end-of-module survey)"),
            satisfaction.by_module(counsellors, **period),
            _("Module"),
            no_answer,
        ),
    ]
    return render(
        request, "contact/satisfaction/report.html", {"tables": tables, "days": days, "periods": PERIODS}
    )
