from django.urls import path

from .views import callbacks

app_name = "contact"

urlpatterns = [
    # The seeker's side.
    path("mon-parcours/rappel/", callbacks.ask, name="ask_callback"),
    # The counsellor's side.
    path("portefeuille/rappels/", callbacks.waiting, name="callbacks"),
    path("portefeuille/rappels/<id:request_id>/appel/", callbacks.record_call, name="record_call"),
]
