""" "Mon portefeuille": the seekers a counsellor follows (a manager: their team's), with
filters, sorting, alerts, bulk assignment and adding a seeker."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Modality, SeekerProfile, User
from accounts.permissions import staff_required
from core import conversations

from .. import assigning, capacity, overview
from ..forms import AddSeekerForm, BulkAssignmentForm
from ..models import AssignmentStatus
from ..permissions import can_add_seekers, can_assign, can_reassign, holds_portfolio, visible_seekers


def portfolio_rows(request, params=None):
    """The visible seekers, searched, built into rows, filtered and sorted from the
    query string (`params`, default: the request's): (rows, filters, alert counts)."""
    params = request.GET if params is None else params
    filters = {
        "q": params.get("q", "").strip(),
        "modality": params.get("modality", ""),
        "web": params.get("web", ""),
        "status": params.get("status", ""),
        "alert": params.get("alert", ""),
        "sort": params.get("sort", "name"),
        "messages": params.get("messages", ""),
    }
    profiles = visible_seekers(request.user)
    if filters["q"]:
        for word in filters["q"].split():
            profiles = profiles.filter(
                Q(user__last_name__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__email__icontains=word)
            )
    if filters["modality"] in Modality.values:
        profiles = profiles.filter(modality=filters["modality"])
    if filters["web"] == "yes":
        profiles = profiles.filter(web_validated_at__isnull=False)
    elif filters["web"] == "volunteer":
        profiles = profiles.filter(web_validated_at__isnull=True, web_volunteered_at__isnull=False)
    rows = overview.build(profiles)
    counts = {alert: sum(alert in row.alerts for row in rows) for alert in overview.Alert.values}
    rows = overview.filter_rows(
        rows,
        alert=filters["alert"] if filters["alert"] in {*counts, "any"} else "",
        status=filters["status"] if filters["status"] in AssignmentStatus.values else "",
        messages=filters["messages"],
    )
    return overview.sort_rows(rows, filters["sort"]), filters, counts


@never_cache
@staff_required
def portfolio(request):
    return _render_portfolio(request)


def _render_portfolio(request, *, params=None, next_url=None, assign_form=None):
    """The page; `params` is the query string of the list (default: the request's),
    `next_url` the list's address, `assign_form` a bound bulk assignment form to show
    with its errors."""
    params = request.GET if params is None else params
    rows, filters, alert_counts = portfolio_rows(request, params)
    if assign_form is None and can_assign(request.user):
        assign_form = BulkAssignmentForm(seekers=visible_seekers(request.user).none(), prefix="assign")
    user_ids = [row.user.pk for row in rows]
    # Messages are between a seeker and their counsellor: a manager does not read them.
    show_messages = holds_portfolio(request.user) and conversations.source() is not None
    context = {
        "rows": rows,
        "filters": filters,
        "alert_counts": [
            (alert, label, alert_counts[alert]) for alert, label in overview.Alert.current_labels().items()
        ],
        "alert_total": sum(1 for row in rows if row.alerts),
        "modalities": Modality.choices,
        "statuses": AssignmentStatus.choices,
        "sorts": [(value, label) for value, (label, _key, _reverse) in overview.SORTS.items()],
        "assign_form": assign_form,
        "ticked": _ticked(assign_form),
        "query": params.urlencode(),
        "next_url": next_url or request.get_full_path(),
        "add_form": AddSeekerForm(prefix="add") if can_add_seekers(request.user) else None,
        "capacity": _capacity_summary(request.user),
        "user_ids": user_ids,
        # A manager's list says who follows each seeker.
        "show_counsellor": not holds_portfolio(request.user),
        "is_filtered": any(filters[key] for key in ("q", "modality", "web", "status", "alert", "messages")),
        "show_messages": show_messages,
        "inbox_url": conversations.source().inbox_url() if show_messages else "",
        "response_times_url": conversations.source().response_times_url()
        if can_reassign(request.user) and conversations.source() is not None
        else "",
    }
    return render(request, "coaching/portfolio.html", context)


def _ticked(form):
    """The seeker ids ticked in a bound bulk assignment form, kept when it is shown again."""
    if form is None or not form.is_bound:
        return set()
    return {int(pk) for pk in form["seekers"].value() or () if str(pk).isdigit()}


def _capacity_summary(user):
    """[(label, taken, cap)] for a counsellor's three caps."""
    profile = getattr(user, "counsellor_profile", None)
    if not holds_portfolio(user) or profile is None:
        return []
    followed = SeekerProfile.objects.filter(counsellor=user)
    web = followed.filter(web_validated_at__isnull=False).count()
    others = dict(
        followed.filter(web_validated_at__isnull=True).values_list("modality").annotate(n=Count("pk"))
    )
    return [
        (capacity.label(capacity.WEB), web, profile.capacity_web),
        (capacity.label(Modality.GUIDE), others.get(Modality.GUIDE, 0), profile.capacity_guide),
        (capacity.label(Modality.RENFORCE), others.get(Modality.RENFORCE, 0), profile.capacity_renforce),
    ]


@require_POST
@staff_required
def bulk_assign(request):
    """Assign one module to the seekers ticked in the portfolio."""
    if not can_assign(request.user):
        messages.error(request, _("Only the seekers' counsellor assigns modules."))
        return redirect("coaching:portfolio")
    seekers = visible_seekers(request.user).values_list("user", flat=True)
    form = BulkAssignmentForm(request.POST, seekers=User.objects.filter(pk__in=seekers), prefix="assign")
    if not form.is_valid():
        # The same list again, with the form's errors and the ticks kept.
        next_url = _safe_next(request) or reverse("coaching:portfolio")
        params = QueryDict(urlsplit(next_url).query)
        return _render_portfolio(request, params=params, next_url=next_url, assign_form=form)
    data = form.cleaned_data
    result = assigning.assign(
        data["module"],
        list(data["seekers"]),
        by=request.user,
        due_date=data["due_date"],
        message=data["message"],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    if result.created:
        messages.success(
            request,
            ngettext(
                "“%(module)s” assigned to %(count)s seeker; they will get an e-mail.",
                "“%(module)s” assigned to %(count)s seekers; each will get an e-mail.",
                len(result.created),
            )
            % {"module": data["module"].title, "count": len(result.created)},
        )
    if result.already:
        messages.info(
            request,
            _("Already assigned, left unchanged: %(names)s.")
            % {"names": ", ".join(str(seeker) for seeker in result.already)},
        )
    return redirect(_safe_next(request) or "coaching:portfolio")


def _safe_next(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


@require_POST
@staff_required
def add_seeker(request):
    """A counsellor adds a seeker who has no counsellor yet, within their caps."""
    if not can_add_seekers(request.user):
        messages.error(request, _("Only counsellors add seekers to their portfolio."))
        return redirect("coaching:portfolio")
    form = AddSeekerForm(request.POST, prefix="add")
    if not form.is_valid():
        messages.error(request, _("Enter the e-mail address of the seeker to add."))
        return redirect("coaching:portfolio")
    profile = (
        SeekerProfile.objects.select_related("user")
        .filter(user__email__iexact=form.cleaned_data["email"], counsellor__isnull=True)
        .first()
    )
    if profile is None:
        messages.error(request, _("No seeker without a counsellor has this e-mail address."))
        return redirect("coaching:portfolio")
    try:
        capacity.assign_counsellor(profile, request.user, actor=request.user)
    except capacity.CapacityError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s joined your portfolio.") % {"name": profile.user},
        )
    return redirect("coaching:portfolio")
