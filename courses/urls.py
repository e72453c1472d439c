from django.urls import path

from .views import my_courses, verification

app_name = "courses"

urlpatterns = [
    path("mes-formations/", my_courses.my_courses, name="my_courses"),
    path("attestations/", verification.verify, name="verify"),
    path("attestations/<str:code>/", verification.verify, name="attestation"),
]
