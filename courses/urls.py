from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("mes-formations/", views.my_courses, name="my_courses"),
    path("attestations/", views.verify, name="verify"),
    path("attestations/<str:code>/", views.verify, name="attestation"),
]
