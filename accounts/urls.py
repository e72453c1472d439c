from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("accueil/", views.home, name="home"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoye/", views.signup_done, name="signup_done"),
    path("activer/<uidb64>/<token>/", views.activate, name="activate"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("suivi-100-web/", views.web_follow_up, name="web_follow_up"),
    path("mes-donnees/", views.export_data, name="export"),
    path("suppression/", views.delete_account, name="delete"),
    path("supprime/", views.account_deleted, name="account_deleted"),
    path("mot-de-passe/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
