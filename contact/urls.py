from django.urls import path

from .views import callbacks, messages, satisfaction

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
]
