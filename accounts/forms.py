from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import queue_templated_email, register_user


class NoAutofocusMixin:
    """Django's auth forms autofocus their first field; pages start at the top instead, so that
    keyboard and screen reader users meet "Skip to content" and the page's heading first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)


class RegistrationForm(NoAutofocusMixin, auth_forms.BaseUserCreationForm):
    """Sign-up; the case-insensitive uniqueness of username and email is the model's rule."""

    email = forms.EmailField(label=_("Email"), max_length=254)

    class Meta(auth_forms.BaseUserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def save(self, commit=True):
        return register_user(
            username=self.cleaned_data["username"],
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password1"],
        )


class LoginForm(NoAutofocusMixin, auth_forms.AuthenticationForm):
    remember_me = forms.BooleanField(label=_("Remember me"), required=False)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("username", "about_me")
        widgets = {"about_me": forms.Textarea(attrs={"rows": 3, "maxlength": 140})}


class ResetPasswordRequestForm(NoAutofocusMixin, auth_forms.PasswordResetForm):
    """Django's reset form, sending through our mail service (queued when a queue exists)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        queue_templated_email(
            to=[to_email],
            subject_template=subject_template_name,
            text_template=email_template_name,
            html_template=html_email_template_name,
            context=context,
        )


class SetNewPasswordForm(NoAutofocusMixin, auth_forms.SetPasswordForm):
    """Django's new-password form, without the autofocus."""
