from django.urls import path

from .views import appointments, callbacks, messages, satisfaction

app_name = "contact"

urlpatterns = [
    # The seeker's side.
    path("mon-parcours/rappel/", callbacks.ask, name="ask_callback"),
    # The counsellor's side.
    path("portefeuille/rappels/", callbacks.waiting, name="callbacks"),
    path("portefeuille/rappels/<id:request_id>/appel/", callbacks.record_call, name="record_call"),
    # Messages: the seeker's side, then the counsellor's.
    path("mes-messages/", messages.my_messages, name="my_messages"),
    path("mes-messages/nouveaux/", messages.my_messages_poll, name="my_messages_poll"),
    path("portefeuille/messages/", messages.inbox, name="inbox"),
    path("portefeuille/messages/delais/", messages.response_times, name="response_times"),
    path("portefeuille/demandeurs/<id:seeker_id>/messages/", messages.conversation, name="conversation"),
    path(
        "portefeuille/demandeurs/<id:seeker_id>/messages/nouveaux/",
        messages.conversation_poll,
        name="conversation_poll",
    ),
    # Satisfaction: the seeker's survey, the manager's figures.
    path("mon-avis/<id:survey_id>/", satisfaction.survey, name="satisfaction"),
    path("portefeuille/satisfaction/", satisfaction.report, name="satisfaction_report"),
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
