from django.urls import path

from .views import attempts, review, session, transcripts

app_name = "interviews"

urlpatterns = [
    # The seeker's recording session of a mock interview (interviews/views/session.py).
    path("mes-entretiens/<id:page_id>/", session.session, name="session"),
    path("mes-entretiens/<id:page_id>/questions/<id:question_id>/prises/", session.start, name="take_start"),
    path(
        "mes-entretiens/<id:page_id>/questions/<id:question_id>/fichier/",
        session.send_file,
        name="take_send_file",
    ),
    path("mes-entretiens/prises/<id:take_id>/", session.take_status, name="take_status"),
    # Deleting a take: the script (JSON) and the forms of the session and attempt pages.
    path("mes-entretiens/prises/<id:take_id>/supprimer/", session.delete, name="take_delete"),
    # An answer's transcript: its captions track (seeker, counsellor), the seeker's correction.
    path("mes-entretiens/prises/<id:take_id>/sous-titres.vtt", transcripts.captions, name="take_captions"),
    path("mes-entretiens/prises/<id:take_id>/transcription/", transcripts.correct, name="take_transcript"),
    # The seeker's, after recording (the interview's own page is a Wagtail route).
    path("mes-entretiens/essais/<id:attempt_id>/", attempts.attempt_detail, name="attempt"),
    path("mes-entretiens/essais/<id:attempt_id>/envoyer/", attempts.send, name="send"),
    path("mes-entretiens/essais/<id:attempt_id>/supprimer/", attempts.delete_attempt, name="delete_attempt"),
    path("mes-entretiens/<id:interview_id>/historique/", attempts.history, name="history"),
    # The counsellor's review, linked from the review queue (Attempt.review_url).
    path("portefeuille/entretiens/<id:attempt_id>/", review.review, name="review"),
    path("portefeuille/entretiens/<id:attempt_id>/commentaires/", review.add_comment, name="add_comment"),
    path(
        "portefeuille/entretiens/<id:attempt_id>/commentaires/<id:comment_id>/supprimer/",
        review.delete_comment,
        name="delete_comment",
    ),
]
