"""The review queue: everything the visible seekers submitted that waits for a
counsellor's review, oldest first.

Every module type answers through the module-status interface (core.modules), so a
new type with reviews shows up here without any change.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.permissions import staff_required
from core.modules import kind_label, reviewable_by

from .. import overview
from ..permissions import visible_seekers


@dataclass(frozen=True)
class QueueEntry:
    item: object  # a core.modules.ReviewItem
    seeker: object  # the User who submitted it
    waiting_days: int

    @property
    def kind(self):
        return kind_label(self.item.module)


def queue_for(user, *, now=None):
    """QueueEntries of the work waiting for `user`'s review (a manager: their team's,
    of the module types a manager reviews), oldest first."""
    now = now or timezone.now()
    seekers = {profile.user_id: profile.user for profile in visible_seekers(user)}
    waiting = [item for items in overview.waiting_reviews(list(seekers)).values() for item in items]
    entries = [
        QueueEntry(item, seekers[item.seeker_id], max((now - item.submitted_at).days, 0))
        for item in reviewable_by(user, waiting)
        # The module types are asked for these seekers only; never show anyone else.
        if item.seeker_id in seekers
    ]
    return sorted(entries, key=lambda entry: (entry.item.submitted_at, entry.seeker.last_name.lower()))


@never_cache
@staff_required
def review_queue(request):
    return render(request, "coaching/review_queue.html", {"entries": queue_for(request.user)})
