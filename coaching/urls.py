from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("mon-parcours/", views.dashboard, name="dashboard"),
    path("portefeuille/", views.portfolio, name="portfolio"),
]
