from .appointments import Agenda, Appointment, AppointmentChannel, AppointmentStatus, OpeningHours, TimeOff
from .messages import Attachment, Conversation, Message
from .satisfaction import Satisfaction, SatisfactionChannel

__all__ = [
    "Agenda",
    "Appointment",
    "AppointmentChannel",
    "AppointmentStatus",
    "Attachment",
    "Conversation",
    "Message",
    "OpeningHours",
    "Satisfaction",
    "SatisfactionChannel",
    "TimeOff",
]
