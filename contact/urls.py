from django.urls import path

from .views import appointments

app_name = "contact"

urlpatterns = [
    # Appointments: the seeker's side.
    path("rendez-vous/", appointments.my_appointments, name="my_appointments"),
    path("rendez-vous/reserver/", appointments.book, name="book"),
    # The counsellor's side.
    path("agenda/", appointments.agenda, name="agenda"),
    path("agenda/disponibilites/", appointments.opening_hours, name="opening_hours"),
    path("agenda/flux/", appointments.renew_feed, name="renew_feed"),
    path("agenda/flux/<str:secret>.ics", appointments.feed, name="feed"),
    path("agenda/demandeurs/<id:seeker_id>/rendez-vous/", appointments.book_for, name="book_for"),
    # One appointment, for its seeker and its counsellor.
    path("rendez-vous/<id:appointment_id>/", appointments.appointment, name="appointment"),
    path("rendez-vous/<id:appointment_id>/annuler/", appointments.cancel, name="cancel"),
    path("rendez-vous/<id:appointment_id>/deplacer/", appointments.move, name="move"),
    path("rendez-vous/<id:appointment_id>/bilan/", appointments.close, name="close"),
    path("rendez-vous/<id:appointment_id>/rejoindre/", appointments.join, name="join"),
    path("rendez-vous/<id:appointment_id>/probleme/", appointments.problem, name="problem"),
    path("rendez-vous/<id:appointment_id>/invitation.ics", appointments.invitation, name="invitation"),
]
