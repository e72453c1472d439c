from django.urls import path

from .views import attempts, review

app_name = "interviews"

urlpatterns = [
    # The seeker's, after recording (the interview's own page is a Wagtail route).
    path("mes-entretiens/essais/<id:attempt_id>/", attempts.attempt_detail, name="attempt"),
    path("mes-entretiens/essais/<id:attempt_id>/envoyer/", attempts.send, name="send"),
    path("mes-entretiens/essais/<id:attempt_id>/supprimer/", attempts.delete_attempt, name="delete_attempt"),
    path("mes-entretiens/prises/<id:take_id>/supprimer/", attempts.delete_take, name="delete_take"),
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
