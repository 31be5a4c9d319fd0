from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("auth/register", views.register, name="register"),
    path("auth/login", views.LoginView.as_view(), name="login"),
    path("auth/logout", views.LogoutView.as_view(), name="logout"),
    path(
        "auth/reset_password_request",
        views.ResetPasswordRequestView.as_view(),
        name="reset_password_request",
    ),
    path(
        "auth/reset_password/<uidb64>/<token>",
        views.ResetPasswordView.as_view(),
        name="reset_password",
    ),
    path("edit_profile", views.edit_profile, name="edit_profile"),
    path("avatar/<int:user_id>/identicon.svg", views.identicon, name="identicon"),
]
