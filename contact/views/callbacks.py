"""Callback requests: the seeker's form, the counsellor's list of calls to make."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import seeker_required, staff_required

from .. import callbacks
from ..permissions import callbacks_within_reach, may_call_back


@never_cache
@seeker_required
def ask(request):
    """'Être rappelé': the number, the half-days that suit, the reason. Bad input comes
    back with its errors and everything typed kept."""
    pending = callbacks.open_callback(request.user)
    if request.method == "POST":
        form = callbacks.CallbackForm(request.POST)
        if form.is_valid():
            _asked, created = callbacks.ask(request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Your counsellor will call you back.")
                if created
                else _("Your callback request was updated."),
            )
            return redirect("coaching:dashboard")
    else:
        initial = {}
        if pending:
            initial = {"phone": pending.phone, "half_days": pending.half_days, "reason": pending.message}
        form = callbacks.CallbackForm(initial=initial)
    return render(request, "contact/callbacks/ask.html", {"form": form, "pending": pending})


@never_cache
@staff_required
def waiting(request):
    """The calls to make for the seekers within reach, urgent ones first, then the oldest."""
    context = {
        "entries": callbacks.entries(callbacks_within_reach(request.user)),
        "can_call": may_call_back(request.user),
        "form": callbacks.OutcomeForm(),
    }
    return render(request, "contact/callbacks/waiting.html", context)


@staff_required
@require_POST
def record_call(request, request_id):
    """The counsellor says how the call went; it goes in the contact log."""
    asked = get_object_or_404(callbacks_within_reach(request.user), pk=request_id)
    if not may_call_back(request.user):
        raise PermissionDenied
    form = callbacks.OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether you reached the seeker."))
        return redirect("contact:callbacks")
    reached = form.cleaned_data["outcome"] == callbacks.OutcomeForm.REACHED
    callbacks.record_call(
        asked, counsellor=request.user, reached=reached, summary=form.cleaned_data["summary"]
    )
    name = asked.seeker.get_full_name()
    if reached:
        messages.success(request, _("Call with %(name)s recorded in the contact log.") % {"name": name})
    else:
        messages.success(
            request, _("Call without answer recorded; the request stays open for %(name)s.") % {"name": name}
        )
    return redirect("contact:callbacks")
