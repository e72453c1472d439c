"""Who follows whom: adding seekers to a portfolio within the counsellor's caps, and
reassigning them (team managers), with the history kept.

A seeker counts against one cap of their counsellor: "100 % web" when their web
follow-up is validated, otherwise their modality ("guidé", "renforcé"). "Suivi"
seekers are not capped. The check and the change happen in one transaction that
first locks the counsellor's profile row: two additions racing for the last place are
served one after the other, and the second is refused.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CounsellorProfile, Modality, SeekerProfile
from activity import log

from .models import FollowUp

WEB = "web"


class CapacityError(Exception):
    """The counsellor's portfolio is full for this kind of seeker."""


def category(profile, *, web=None):
    """The cap `profile` counts against: "web", "guide", "renforce", or None."""
    if profile.is_web if web is None else web:
        return WEB
    if profile.modality in (Modality.GUIDE, Modality.RENFORCE):
        return profile.modality
    return None


def cap_of(counsellor_profile, kind):
    return {
        WEB: counsellor_profile.capacity_web,
        Modality.GUIDE: counsellor_profile.capacity_guide,
        Modality.RENFORCE: counsellor_profile.capacity_renforce,
    }[kind]


def _count(counsellor, kind):
    seekers = SeekerProfile.objects.filter(counsellor=counsellor)
    if kind == WEB:
        return seekers.filter(web_validated_at__isnull=False).count()
    return seekers.filter(web_validated_at__isnull=True, modality=kind).count()


def label(kind):
    return {WEB: _("100 % web"), Modality.GUIDE: _("guidé"), Modality.RENFORCE: _("renforcé")}[kind]


def check_room(counsellor, profile, *, web=None):
    """Raise CapacityError if `profile` cannot join (or stay in, after becoming web)
    `counsellor`'s portfolio. Call it inside a transaction after `lock(counsellor)`."""
    kind = category(profile, web=web)
    if kind is None:
        return
    counsellor_profile = CounsellorProfile.objects.get(user=counsellor)
    taken = _count(counsellor, kind)
    already_counted = profile.counsellor_id == counsellor.pk and category(profile) == kind
    if not already_counted and taken >= cap_of(counsellor_profile, kind):
        raise CapacityError(
            _("%(name)s's portfolio is full: %(count)s of %(cap)s seekers in “%(kind)s” follow-up.")
            % {
                "name": str(counsellor),
                "count": taken,
                "cap": cap_of(counsellor_profile, kind),
                "kind": label(kind),
            }
        )


def lock(counsellor):
    """Lock the counsellor's profile row until the end of the transaction."""
    CounsellorProfile.objects.select_for_update().filter(user=counsellor).first()


def assign_counsellor(profile, counsellor, *, actor, now=None):
    """Put the seeker of `profile` in `counsellor`'s portfolio (or take them out with
    None), closing the previous follow-up period. Raises CapacityError when full."""
    now = now or timezone.now()
    with transaction.atomic():
        profile = SeekerProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        if profile.counsellor_id == (counsellor.pk if counsellor else None):
            return profile
        if counsellor is not None:
            lock(counsellor)
            check_room(counsellor, profile)
        FollowUp.objects.filter(seeker=profile.user, ended_at__isnull=True).update(ended_at=now)
        profile.counsellor = counsellor
        profile.save(update_fields=["counsellor"])
        if counsellor is not None:
            FollowUp.objects.create(
                seeker=profile.user, counsellor=counsellor, started_at=now, changed_by=actor
            )
        log.record(
            profile.user,
            "follow_up.counsellor_changed",
            actor=actor,
            when=now,
            counsellor=(str(counsellor)) if counsellor else "",
        )
    return profile


def validate_web(profile, counsellor, *, now=None):
    """Validate the seeker's 100 % web follow-up, within the counsellor's web cap."""
    with transaction.atomic():
        profile = SeekerProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.counsellor_id:
            lock(profile.counsellor)
            check_room(profile.counsellor, profile, web=True)
        profile.validate_web(counsellor, now=now)
    return profile
