from django.urls import path

from .views import messages

app_name = "contact"

urlpatterns = [
    # The seeker's side.
    path("mes-messages/", messages.my_messages, name="my_messages"),
    path("mes-messages/nouveaux/", messages.my_messages_poll, name="my_messages_poll"),
    # The counsellor's side.
    path("portefeuille/messages/", messages.inbox, name="inbox"),
    path("portefeuille/messages/delais/", messages.response_times, name="response_times"),
    path("portefeuille/demandeurs/<id:seeker_id>/messages/", messages.conversation, name="conversation"),
    path(
        "portefeuille/demandeurs/<id:seeker_id>/messages/nouveaux/",
        messages.conversation_poll,
        name="conversation_poll",
    ),
]
