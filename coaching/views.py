from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from activity.models import ActivityEntry

from .permissions import seeker_required, staff_required, visible_seekers


@never_cache
@seeker_required
def dashboard(request):
    """ "Mon parcours": the seeker's starting point."""
    profile = request.user.seeker_profile
    return render(request, "coaching/dashboard.html", {"profile": profile})


@never_cache
@staff_required
def portfolio(request):
    """ "Mon portefeuille": the seekers this counsellor (or manager's team) follows."""
    last_activity = (
        ActivityEntry.objects.filter(seeker=OuterRef("user"), actor=OuterRef("user"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    seekers = (
        visible_seekers(request.user)
        .select_related("counsellor")
        .annotate(last_activity=Subquery(last_activity))
        .order_by("user__last_name", "user__first_name")
    )
    query = request.GET.get("q", "").strip()
    if query:
        seekers = seekers.filter(
            Q(user__last_name__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__email__icontains=query)
        )
    return render(request, "coaching/portfolio.html", {"seekers": seekers, "query": query})
