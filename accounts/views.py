from math import ceil

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.data_export import archive_for
from core.privacy import delete_user

from .activation import user_to_activate
from .forms import (
    DeleteAccountForm,
    EmailAuthenticationForm,
    ProfileForm,
    QueuedPasswordResetForm,
    SignupForm,
)
from .models import Role
from .throttling import forget_failures, time_left


@login_required
def home(request):
    """Where each role starts after logging in."""
    user = request.user
    if user.role == Role.SEEKER:
        return redirect("coaching:dashboard")
    if user.role in (Role.COUNSELLOR, Role.MANAGER):
        return redirect("coaching:portfolio")
    if user.has_perm("wagtailadmin.access_admin"):
        return redirect("wagtailadmin_home")
    return redirect("accounts:profile")


@never_cache
def signup(request):
    """Sign-up answers "check your e-mail" whether or not the address has an account:
    the page never tells (SignupForm.save)."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save(request)
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request):
    return render(request, "accounts/signup_done.html")


@never_cache
def activate(request, uidb64, token):
    """The link e-mailed after sign-up: activates the account and logs its owner in."""
    user = user_to_activate(uidb64, token)
    if user is None:
        return render(request, "accounts/activation_invalid.html")
    user.is_active = True
    user.save(update_fields=["is_active"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request, _("Welcome to Tremplin, %(name)s! Your account is ready.") % {"name": user.first_name}
    )
    return redirect("accounts:home")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """The answer to a locked log-in (AXES_LOCKOUT_CALLABLE): 429 with the true time left.

    Unlike axes's own answer it never repeats the e-mail address tried, and its JSON
    form carries no CORS header: only the site's own pages may read it.
    """
    seconds = ceil(time_left(request, credentials).total_seconds())
    minutes = max(1, ceil(seconds / 60))
    message = ngettext(
        "To protect your account, logging in is paused. Try again in a minute.",
        "To protect your account, logging in is paused. Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    if request.headers.get("x-requested-with") == "XMLHttpRequest" or not request.accepts("text/html"):
        response = JsonResponse({"detail": message, "retry_after_seconds": seconds}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password from the e-mailed link: the way out of any log-in lock.

    Whoever controls the mailbox is logged in at once and the account's failed log-ins
    are forgotten, so an attacker who keeps failing on purpose cannot keep them out.
    """

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        response = super().form_valid(form)
        forget_failures(form.user)
        return response


@never_cache
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    seeker_profile = getattr(request.user, "seeker_profile", None) if request.user.is_seeker else None
    return render(request, "accounts/profile.html", {"form": form, "seeker_profile": seeker_profile})


@require_POST
@login_required
def web_follow_up(request):
    """A seeker volunteers for 100 % web follow-up, or asks to return to traditional follow-up."""
    if not request.user.is_seeker:
        return redirect("accounts:profile")
    profile = request.user.seeker_profile
    if request.POST.get("action") == "withdraw":
        profile.withdraw_from_web(request.user)
        messages.success(
            request, _("Done: you are back in traditional follow-up. Your counsellor has been told.")
        )
    elif request.POST.get("action") == "volunteer" and profile.web_volunteered_at is None:
        profile.volunteer_for_web()
        messages.success(request, _("Thank you: your counsellor will confirm your 100 % web follow-up."))
    return redirect("accounts:profile")


@never_cache
@login_required
def export_data(request):
    """Everything Tremplin holds about the user, with their files, as one ZIP archive."""
    return FileResponse(
        archive_for(request.user),
        as_attachment=True,
        filename="tremplin-mes-donnees.zip",
        content_type="application/zip",
    )


@never_cache
@login_required
def delete_account(request):
    if request.user.role != Role.SEEKER:
        messages.error(request, _("Staff accounts are closed by an administrator."))
        return redirect("accounts:profile")
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        delete_user(user)
        messages.success(request, _("Your account and all your data have been deleted."))
        return redirect(reverse("accounts:account_deleted"))
    return render(request, "accounts/delete_account.html", {"form": form})


def account_deleted(request):
    return render(request, "accounts/account_deleted.html")
