from django.urls import path

from .views import reviews

app_name = "ateliers"

# The seeker's pages are routes of the atelier and step pages (models/pages.py); these
# are the counsellor's.
urlpatterns = [
    path("portefeuille/relectures/<id:submission_id>/", reviews.review, name="review"),
]
