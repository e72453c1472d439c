from .appointments import Agenda, Appointment, AppointmentChannel, AppointmentStatus, OpeningHours, TimeOff

__all__ = ["Agenda", "Appointment", "AppointmentChannel", "AppointmentStatus", "OpeningHours", "TimeOff"]
