"""Who may see and do what with appointments (the appointments' part of the contact
app's permission policy).

A seeker sees their own appointments and books with the counsellor who follows them; a
counsellor sees the appointments of their agenda and books for the seekers of their
portfolio. Anyone else (another seeker, another counsellor, a manager, an editor) is
answered 404 on an appointment or a seeker, never with a hint that it exists. Pages
that name nobody (the agenda, "Mes rendez-vous") are refused by role (403).
"""

from django.shortcuts import get_object_or_404

from accounts.models import Role, SeekerProfile
from accounts.permissions import is_counsellor, is_seeker, role_required

from .models import Appointment

counsellor_required = role_required(Role.COUNSELLOR)


def visible_appointments(user):
    """The appointments `user` may look at and act on."""
    appointments = Appointment.objects.select_related("seeker", "counsellor")
    if is_seeker(user):
        return appointments.filter(seeker=user)
    if is_counsellor(user):
        return appointments.filter(counsellor=user)
    return appointments.none()


def appointment_or_404(user, appointment_id):
    return get_object_or_404(visible_appointments(user), pk=appointment_id)


def bookable_seeker_or_404(user, seeker_id):
    """The SeekerProfile of `seeker_id` if `user` is the counsellor who follows them."""
    if not is_counsellor(user):
        return get_object_or_404(SeekerProfile.objects.none(), user_id=seeker_id)
    return get_object_or_404(SeekerProfile.objects.select_related("user"), user_id=seeker_id, counsellor=user)


def is_their_counsellor(user, appointment):
    return user.pk == appointment.counsellor_id
