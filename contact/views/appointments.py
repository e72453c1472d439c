"""Appointment pages: the seeker's "Mes rendez-vous" and booking; the counsellor's agenda,
opening hours and booking for a seeker; for both, an appointment's page and its
cancellation, move and (the counsellor's) outcome.

Pages reached from an e-mail (cancel, move) show a confirmation on GET and act only on
POST: mail scanners open links. Every view goes through contact.appointments_permissions
first; the rules (who may still cancel, which slot is free) are contact.appointments'.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import seeker_required

from .. import appointments, invitations, satisfaction, visio
from ..appointments_forms import (
    BookingForm,
    ChangeForm,
    CloseForm,
    MoveForm,
    OpeningHoursForm,
    SlotLengthForm,
    TimeOffForm,
    days_of,
)
from ..appointments_permissions import (
    appointment_or_404,
    bookable_seeker_or_404,
    counsellor_required,
    is_their_counsellor,
)
from ..availability import PARIS
from ..models import Agenda, Appointment, AppointmentStatus, TimeOff


def _with_appointment(view):
    """Logged-in users only; then the appointment if the user may see it, else 404
    (before the HTTP method is looked at: an outsider learns nothing)."""

    @wraps(view)
    @never_cache
    def wrapper(request, appointment_id, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, appointment_or_404(request.user, appointment_id), **kwargs)

    return wrapper


def _page(appointment):
    return redirect("contact:appointment", appointment_id=appointment.pk)


# --- The seeker's side ----------------------------------------------------------------


@never_cache
@seeker_required
def my_appointments(request):
    now = timezone.now()
    mine = Appointment.objects.filter(seeker=request.user).select_related("counsellor")
    return render(
        request,
        "contact/appointments/mine.html",
        {
            "upcoming": list(mine.upcoming(now)),
            "past": list(
                mine.exclude(status=AppointmentStatus.BOOKED, ends_at__gt=now).order_by("-starts_at")[:20]
            ),
            "counsellor": request.user.seeker_profile.counsellor,
            "surveys": list(satisfaction.pending(request.user)[:3]),
        },
    )


@never_cache
@seeker_required
def book(request):
    """The seeker books a free slot of the counsellor who follows them."""
    counsellor = request.user.seeker_profile.counsellor
    if counsellor is None:
        messages.info(request, _("You will be able to book an appointment once a counsellor follows you."))
        return redirect("contact:my_appointments")
    return _booking_page(request, request.user, counsellor, back="contact:my_appointments")


# --- The counsellor's side ------------------------------------------------------------


@never_cache
@counsellor_required
def book_for(request, seeker_id):
    profile = bookable_seeker_or_404(request.user, seeker_id)
    return _booking_page(request, profile.user, request.user, back="contact:agenda")


def _booking_page(request, seeker, counsellor, *, back):
    now = timezone.now()
    slots = appointments.free_slots(counsellor, now=now, seeker=seeker)
    form = BookingForm(request.POST if request.method == "POST" else None, slots=slots)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = appointments.book(
                seeker,
                counsellor,
                data["slot"],
                channel=data["channel"],
                reason=data["reason"],
                by=request.user,
                now=now,
            )
        except appointments.BookingError as error:
            form.add_error(None, str(error))
            slots = appointments.free_slots(counsellor, now=now, seeker=seeker)
        else:
            messages.success(request, _("Appointment booked."))
            return _page(appointment)
    return render(
        request,
        "contact/appointments/book.html",
        {"form": form, "days": days_of(slots), "seeker": seeker, "counsellor": counsellor, "back": back},
        status=409 if _slot_taken(form) else 200,
    )


def _slot_taken(form):
    """The slot asked for went to someone else (just now, or before the page was sent)."""
    return form.has_error(NON_FIELD_ERRORS) or form.has_error("slot", "invalid_choice")


@never_cache
@counsellor_required
def agenda(request):
    """The counsellor's appointments for a day or a week (?jour=YYYY-MM-DD&vue=semaine)."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:  # nothing to see there, nor a date overflow
        day = timezone.localdate()
    week = request.GET.get("vue") == "semaine"
    first = day - datetime.timedelta(days=day.weekday()) if week else day
    length = 7 if week else 1
    starts = datetime.datetime.combine(first, datetime.time(), tzinfo=PARIS)
    ends = datetime.datetime.combine(first + datetime.timedelta(days=length), datetime.time(), tzinfo=PARIS)
    booked = (
        Appointment.objects.filter(counsellor=request.user, starts_at__gte=starts, starts_at__lt=ends)
        .select_related("seeker")
        .order_by("starts_at")
    )
    days = {first + datetime.timedelta(days=offset): [] for offset in range(length)}
    for appointment in booked:
        days[timezone.localtime(appointment.starts_at, PARIS).date()].append(appointment)
    time_off = list(
        TimeOff.objects.filter(agenda__counsellor=request.user, starts_at__lt=ends, ends_at__gt=starts)
    )
    return render(
        request,
        "contact/appointments/agenda.html",
        {
            "days": [(day, _absences(day, time_off), booked) for day, booked in sorted(days.items())],
            "week": week,
            "first": first,
            "previous": first - datetime.timedelta(days=length),
            "next": first + datetime.timedelta(days=length),
            "today": timezone.localdate(),
        },
    )


def _absences(day, time_off):
    """The time off covering part of `day` (Paris time), each as the part of the day it
    takes: {"starts", "ends"} (None: from the start, until the end of the day), "reason"."""
    midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=PARIS)
    next_midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=PARIS)
    return [
        {
            "starts": period.starts_at if period.starts_at > midnight else None,
            "ends": period.ends_at if period.ends_at < next_midnight else None,
            "reason": period.reason,
        }
        for period in time_off
        if period.starts_at < next_midnight and period.ends_at > midnight
    ]


@never_cache
@counsellor_required
def opening_hours(request):
    """Slot length, weekly opening hours and time off; each form posts `action`. Time off
    over booked appointments is saved only once the counsellor has chosen, on the list
    of them, to cancel or to keep them (contact.appointments.take_time_off)."""
    agenda = appointments.agenda_of(request.user)
    now = timezone.now()
    forms = {
        "slot_form": SlotLengthForm(instance=agenda, prefix="slot"),
        "hours_form": OpeningHoursForm(prefix="hours"),
        "time_off_form": TimeOffForm(prefix="off"),
    }
    clashing = []
    if request.method == "POST":
        action = request.POST.get("action")
        done = None
        if action == "slot":
            forms["slot_form"] = form = SlotLengthForm(request.POST, instance=agenda, prefix="slot")
            done = form.is_valid() and form.save()
        elif action == "hours":
            forms["hours_form"] = form = OpeningHoursForm(request.POST, prefix="hours")
            if form.is_valid():
                form.instance.agenda = agenda
                done = form.save()
        elif action == "time_off":
            forms["time_off_form"] = form = TimeOffForm(request.POST, prefix="off")
            if form.is_valid():
                try:
                    during = appointments.take_time_off(
                        request.user,
                        form.instance,
                        clash=form.cleaned_data["clash"],
                        seen=form.cleaned_data["seen"],
                        now=now,
                    )
                except appointments.TimeOffClash as clash:
                    clashing = clash.appointments
                    _explain_clash(form, clashing)
                except appointments.BookingError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _time_off_saved(form.cleaned_data["clash"], len(during)))
                    return redirect("contact:opening_hours")
        elif action in ("delete_hours", "delete_time_off") and request.POST.get("id", "").isdigit():
            rows = agenda.opening_hours if action == "delete_hours" else agenda.time_off
            done = rows.filter(pk=int(request.POST["id"])).delete()[0]
        if done:
            messages.success(request, _("Your availability is saved."))
            return redirect("contact:opening_hours")
        if clashing and not forms["time_off_form"].errors:
            messages.warning(
                request, _("Your time off is not saved yet: appointments are booked during it, see below.")
            )
        else:
            messages.error(request, _("Nothing was changed: please correct the form below."))
    agenda = (
        type(agenda)
        .objects.prefetch_related(
            "opening_hours", Prefetch("time_off", queryset=agenda.time_off.filter(ends_at__gt=now))
        )
        .get(pk=agenda.pk)
    )
    feed_url = (
        request.build_absolute_uri(reverse("contact:feed", args=[agenda.feed_secret]))
        if agenda.feed_secret
        else ""
    )
    return render(
        request,
        "contact/appointments/opening_hours.html",
        {
            "agenda": agenda,
            "time_off": _time_off_with_appointments(request.user, list(agenda.time_off.all()), now=now),
            "clashing": clashing,
            "clashing_ids": ",".join(str(appointment.pk) for appointment in clashing),
            "feed_url": feed_url,
            **forms,
        },
    )


def _explain_clash(form, clashing):
    """The list is shown for the first time, or again: why again."""
    data = form.cleaned_data
    if not data["seen"]:
        return  # the first time: the list is the explanation
    if not data["clash"]:
        form.add_error("clash", _("Choose what to do with these appointments."))
    else:
        form.add_error(
            None, _("The appointments booked in this period have changed: please check them again.")
        )


def _time_off_saved(clash, count):
    if count and clash == appointments.Clash.CANCEL:
        return ngettext(
            "Your time off is saved. %(count)s appointment was cancelled; its seeker is told by e-mail.",
            "Your time off is saved. %(count)s appointments were cancelled; their seekers are told by e-mail.",
            count,
        ) % {"count": count}
    if count:
        return ngettext(
            "Your time off is saved. %(count)s appointment remains booked during it.",
            "Your time off is saved. %(count)s appointments remain booked during it.",
            count,
        ) % {"count": count}
    return _("Your availability is saved.")


def _time_off_with_appointments(counsellor, periods, *, now):
    """[(time off, [appointments still booked during it])], from one query."""
    if not periods:
        return []
    booked = list(
        appointments.booked_during(
            counsellor, min(p.starts_at for p in periods), max(p.ends_at for p in periods), now=now
        )
    )
    return [
        (period, [a for a in booked if a.starts_at < period.ends_at and a.ends_at > period.starts_at])
        for period in periods
    ]


# --- An appointment, for its seeker and its counsellor --------------------------------


@_with_appointment
def appointment(request, appointment):
    now = timezone.now()
    counsellor = is_their_counsellor(request.user, appointment)
    opens, closes = visio.window(appointment)
    return render(
        request,
        "contact/appointments/detail.html",
        {
            # For static/js/visio-join.js: the server's clock to the millisecond, the
            # opening rounded up to the second (never before the server opens the room).
            "now_iso": timezone.localtime(now).isoformat(timespec="milliseconds"),
            "join_opens": _next_second(opens),
            "join_closed": closes < now,
            "appointment": appointment,
            "is_counsellor": counsellor,
            "may_change": appointments.may_change(appointment, request.user, now=now),
            "is_visio": visio.is_visio(appointment),
            "can_join": visio.can_join(appointment, now),
            "may_close": counsellor
            and appointment.status == AppointmentStatus.BOOKED
            and appointment.starts_at <= now,
            "close_form": CloseForm(),
            "change_hours": settings.APPOINTMENT_SEEKER_CHANGE_HOURS,
        },
    )


def _next_second(moment):
    return moment if not moment.microsecond else moment.replace(microsecond=0) + datetime.timedelta(seconds=1)


@_with_appointment
def cancel(request, appointment):
    """GET: the confirmation page (a link in an e-mail leads here); POST: cancel."""
    counsellor = is_their_counsellor(request.user, appointment)
    form = ChangeForm(request.POST if request.method == "POST" else None, reason_required=counsellor)
    if request.method == "POST" and form.is_valid():
        try:
            appointments.cancel(appointment, by=request.user, reason=form.cleaned_data["reason"])
        except appointments.BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Appointment cancelled."))
        return _page(appointment)
    return render(
        request,
        "contact/appointments/cancel.html",
        {"appointment": appointment, "form": form, "is_counsellor": counsellor},
    )


@_with_appointment
def move(request, appointment):
    """GET: the free slots to move to; POST: move."""
    now = timezone.now()
    counsellor = is_their_counsellor(request.user, appointment)
    slots = appointments.free_slots(
        appointment.counsellor, now=now, seeker=appointment.seeker, ignore=appointment
    )
    form = MoveForm(
        request.POST if request.method == "POST" else None, slots=slots, reason_required=counsellor
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointments.reschedule(
                appointment, data["slot"], by=request.user, reason=data["reason"], now=now
            )
        except appointments.BookingError as error:
            form.add_error(None, str(error))
            appointment.refresh_from_db()  # as it is, not as the refused move left it in memory
        else:
            messages.success(request, _("Appointment moved."))
            return _page(appointment)
    return render(
        request,
        "contact/appointments/move.html",
        {"appointment": appointment, "form": form, "days": days_of(slots), "is_counsellor": counsellor},
    )


@_with_appointment
@require_POST
def close(request, appointment):
    """The counsellor says the appointment was held (logged as a contact) or missed."""
    if not is_their_counsellor(request.user, appointment):
        raise PermissionDenied
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise appointments.BookingError(_("Say whether the appointment was held or missed."))
        appointments.close(appointment, form.cleaned_data["status"], by=request.user)
    except appointments.BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Outcome saved."))
    return _page(appointment)


@_with_appointment
def join(request, appointment):
    """Open the video room, from VISIO_JOIN_MINUTES_BEFORE minutes before the slot."""
    if not visio.can_join(appointment, timezone.now()):
        if visio.is_visio(appointment) and appointment.status == AppointmentStatus.BOOKED:
            messages.info(
                request,
                _("The room opens %(minutes)s minutes before the appointment.")
                % {"minutes": settings.VISIO_JOIN_MINUTES_BEFORE},
            )
        else:
            messages.error(request, _("This appointment has no video room open."))
        return _page(appointment)
    return redirect(visio.provider().join_url(appointment, request.user))


@_with_appointment
def problem(request, appointment):
    """ "Problème technique": GET asks to confirm (the link is in every reminder), POST
    asks the counsellor to call back."""
    if request.user.pk != appointment.seeker_id:
        raise PermissionDenied
    if appointment.status != AppointmentStatus.BOOKED:
        messages.error(request, _("This appointment is no longer planned."))
        return _page(appointment)
    if request.method == "POST":
        _asked, created = appointments.report_problem(appointment, by=request.user)
        if created:
            messages.success(request, _("Your counsellor has been told and will call you back."))
        else:
            messages.info(request, _("Your counsellor already knows and will call you back."))
        return _page(appointment)
    return render(request, "contact/appointments/problem.html", {"appointment": appointment})


# --- Calendars -----------------------------------------------------------------------------


@_with_appointment
def invitation(request, appointment):
    """The appointment's .ics, to add it to one's calendar by hand."""
    return _ics(invitations.invitation(appointment), f"rendez-vous-{appointment.pk}.ics")


@never_cache
def feed(request, secret):
    """A counsellor's calendar feed, at a secret address their calendar application
    subscribes to (no log-in there). A wrong or renewed secret is a 404."""
    agenda = get_object_or_404(
        Agenda.objects.select_related("counsellor").exclude(feed_secret=""), feed_secret=secret
    )
    return _ics(invitations.feed(agenda.counsellor), "tremplin-agenda.ics", attachment=False)


@never_cache
@counsellor_required
@require_POST
def renew_feed(request):
    """A new secret address for the feed; the old one stops working."""
    appointments.agenda_of(request.user).renew_feed_secret()
    messages.success(request, _("Your calendar feed has a new address: the old one no longer works."))
    return redirect("contact:opening_hours")


def _ics(content, filename, *, attachment=True):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
