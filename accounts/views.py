from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from .forms import (
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordRequestForm,
    SetNewPasswordForm,
)
from .identicons import identicon_svg


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("posts:index")
    form = RegistrationForm(request.POST or None)
    if form.is_valid():
        form.save()
        messages.success(request, _("Congratulations, you are now a registered user!"))
        return redirect("accounts:login")
    return render(request, "accounts/register.html", {"form": form, "title": _("Register")})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Sign In")}

    def form_valid(self, form):
        response = super().form_valid(form)
        if not form.cleaned_data.get("remember_me"):
            self.request.session.set_expiry(0)  # ends with the browser
        return response


class LogoutView(auth_views.LogoutView):
    """Django's logout: POST only, so that no link or image can sign a user out."""


class ResetPasswordRequestView(auth_views.PasswordResetView):
    form_class = ResetPasswordRequestForm
    template_name = "accounts/reset_password_request.html"
    email_template_name = "accounts/email/reset_password.txt"
    html_email_template_name = "accounts/email/reset_password.html"
    subject_template_name = "accounts/email/reset_password_subject.txt"
    success_url = reverse_lazy("accounts:login")
    extra_context = {"title": gettext_lazy("Reset Password")}

    def form_valid(self, form):
        messages.info(
            self.request, _("Check your email for the instructions to reset your password")
        )
        return super().form_valid(form)


class ResetPasswordView(auth_views.PasswordResetConfirmView):
    form_class = SetNewPasswordForm
    template_name = "accounts/reset_password.html"
    success_url = reverse_lazy("accounts:login")
    extra_context = {"title": gettext_lazy("Reset Your Password")}

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been reset."))
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your changes have been saved."))
        return redirect("accounts:edit_profile")
    if request.method == "POST":
        request.user.refresh_from_db()  # the failed form must not rename the navbar's user
    return render(request, "accounts/edit_profile.html", {"form": form, "title": _("Edit Profile")})


@require_safe
@cache_control(public=True, max_age=365 * 24 * 60 * 60, immutable=True)
def identicon(request, user_id):
    """A user's local identicon: it depends on the id alone, so it is cached for a year."""
    return HttpResponse(identicon_svg(user_id), content_type="image/svg+xml")
