"""Calendar invitations (RFC 5545, with `icalendar`) and the counsellor's calendar feed.

Each appointment is one event for good: its UID never changes, its SEQUENCE grows with
every change (contact.appointments raises it), so a calendar application updates the
event it has rather than adding another. A change is sent as METHOD:REQUEST, a
cancellation as METHOD:CANCEL with STATUS:CANCELLED. Times are in Europe/Paris, with the
zone's VTIMEZONE, so that the event stays at 9:00 across a daylight-saving change.

Invitations go through the one e-mail path (core.notifications) as composed e-mails:
Redis and the outgoing row hold only the appointment's id; the worker writes the message
and its .ics from the appointment as it is then, and sends nothing when a newer change
has been queued meanwhile (its own message follows) or the appointment is gone.
"""

import datetime
from email.mime.text import MIMEText

import icalendar
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.notifications import email_composer, send_composed_email

from .availability import PARIS
from .models import Appointment, AppointmentChannel, AppointmentStatus

PRODID = "-//Tremplin//Rendez-vous//FR"
#: How far back the feed goes (the future is always complete).
FEED_DAYS_BACK = 60


def site_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _event(appointment, *, cancelled):
    event = icalendar.Event()
    event.add("uid", appointment.uid)
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", appointment.starts_at.astimezone(PARIS))
    event.add("dtend", appointment.ends_at.astimezone(PARIS))
    event.add(
        "summary",
        _("Tremplin appointment: %(seeker)s and %(counsellor)s")
        % {
            "seeker": appointment.seeker.get_full_name(),
            "counsellor": appointment.counsellor.get_full_name(),
        },
    )
    page = site_url(reverse("contact:appointment", args=[appointment.pk]))
    lines = [str(AppointmentChannel(appointment.channel).label)]
    if appointment.channel == AppointmentChannel.VISIO:
        join = site_url(reverse("contact:join", args=[appointment.pk]))
        lines.append(_("Join the video call (from 10 minutes before): %(url)s") % {"url": join})
        event.add("location", join)
    elif appointment.channel == AppointmentChannel.IN_PERSON:
        event.add("location", _("At the agency"))
    lines.append(_("The appointment on Tremplin: %(url)s") % {"url": page})
    event.add("description", "\n".join(lines))
    event.add("url", page)
    organizer = icalendar.vCalAddress(f"mailto:{appointment.counsellor.email}")
    organizer.params["cn"] = appointment.counsellor.get_full_name()
    event.add("organizer", organizer)
    for person in (appointment.seeker, appointment.counsellor):
        attendee = icalendar.vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = person.get_full_name()
        attendee.params["role"] = "REQ-PARTICIPANT"
        event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(events, method):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    # The zone first: some applications read the file in one pass.
    calendar.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")
    return calendar.to_ical()


def invitation(appointment):
    """The .ics for the appointment as it is now: a REQUEST, or a CANCEL once cancelled."""
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    return _calendar([_event(appointment, cancelled=cancelled)], "CANCEL" if cancelled else "REQUEST")


def feed(counsellor):
    """The counsellor's calendar feed: their appointments from FEED_DAYS_BACK days ago on,
    cancelled ones marked so (METHOD:PUBLISH)."""
    since = timezone.now() - datetime.timedelta(days=FEED_DAYS_BACK)
    appointments = Appointment.objects.filter(counsellor=counsellor, ends_at__gte=since).select_related(
        "seeker", "counsellor"
    )
    events = [
        _event(appointment, cancelled=appointment.status == AppointmentStatus.CANCELLED)
        for appointment in appointments
    ]
    return _calendar(events, "PUBLISH")


# --- By e-mail ----------------------------------------------------------------------------

EVENTS = ("booked", "moved", "cancelled")


def send(appointment, event):
    """Queue the invitation (or cancellation) to the seeker and the counsellor, after the
    transaction commits."""
    for person in (appointment.seeker, appointment.counsellor):
        send_composed_email(
            person.email,
            "contact.invitations.compose",
            {"appointment": appointment.pk, "event": event, "sequence": appointment.sequence},
        )


@email_composer
def compose(to, context):
    """(subject, body, [.ics]) for `to`, or None when this message is out of date."""
    appointment = (
        Appointment.objects.select_related("seeker", "counsellor")
        .filter(pk=context.get("appointment"))
        .first()
    )
    if appointment is None or appointment.sequence != context.get("sequence"):
        return None
    recipient = appointment.seeker if to == appointment.seeker.email else appointment.counsellor
    with translation.override(settings.LANGUAGE_CODE), timezone.override(PARIS):
        data = {
            "appointment": appointment,
            "event": context["event"],
            "recipient": recipient,
            "is_counsellor": recipient == appointment.counsellor,
            "page_url": site_url(reverse("contact:appointment", args=[appointment.pk])),
            "join_url": site_url(reverse("contact:join", args=[appointment.pk])),
            "problem_url": site_url(reverse("contact:problem", args=[appointment.pk])),
            "cancel_url": site_url(reverse("contact:cancel", args=[appointment.pk])),
            "move_url": site_url(reverse("contact:move", args=[appointment.pk])),
        }
        subject = render_to_string("contact/appointments/email/invitation_subject.txt", data)
        body = render_to_string("contact/appointments/email/invitation_body.txt", data)
        ics = invitation(appointment)
    return subject, body, [calendar_part(ics, appointment)]


def calendar_part(ics, appointment):
    """The .ics as a MIME part whose Content-Type names the method, as mail applications
    expect to show an invitation (text/calendar; method=REQUEST)."""
    method = "CANCEL" if appointment.status == AppointmentStatus.CANCELLED else "REQUEST"
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=f"rendez-vous-{method.lower()}.ics")
    return part
