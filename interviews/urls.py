from django.urls import path

from .views import session

app_name = "interviews"

# The seeker's recording session of a mock interview (interviews/views/session.py).
urlpatterns = [
    path("mes-entretiens/<id:page_id>/", session.session, name="session"),
    path("mes-entretiens/<id:page_id>/questions/<id:question_id>/prises/", session.start, name="take_start"),
    path(
        "mes-entretiens/<id:page_id>/questions/<id:question_id>/fichier/",
        session.send_file,
        name="take_send_file",
    ),
    path("mes-entretiens/prises/<id:take_id>/", session.take_status, name="take_status"),
    path("mes-entretiens/prises/<id:take_id>/supprimer/", session.delete, name="take_delete"),
]
