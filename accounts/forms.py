import math

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from microblog.images import ACCEPT_ATTRIBUTE

from .backends import PASSWORD_MAX_LENGTH
from .models import User
from .services import (
    checked_avatar,
    queue_templated_email,
    register_user,
    remove_avatar,
    set_avatar,
)
from .throttling import password_reset_allowed, sign_in_wait


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


class ThrottledSignInMixin:
    """Sign-in forms (the site's and the admin's): lengths checked before any query, and a
    clear message while failed attempts have locked the account or the address out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets max_length after the field is built, so without this
        # validator any length reached the database.
        self.fields["username"].validators.append(
            MaxLengthValidator(self.fields["username"].max_length)
        )
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            seconds = sign_in_wait(self.request, self.cleaned_data.get("username"))
            if seconds:
                minutes = math.ceil(seconds / 60)
                raise forms.ValidationError(
                    ngettext(
                        "Too many failed sign-in attempts. Please try again in %(minutes)d minute.",
                        "Too many failed sign-in attempts. Please try again in %(minutes)d "
                        "minutes.",
                        minutes,
                    ),
                    code="throttled",
                    params={"minutes": minutes},
                ) from None
            raise


class LoginForm(NoAutofocusMixin, ThrottledSignInMixin, auth_forms.AuthenticationForm):
    remember_me = forms.BooleanField(label=_("Remember me"), required=False)


class AdminLoginForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The admin's sign-in, under the same limits as the site's."""


class ProfileForm(forms.ModelForm):
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    remove_avatar = forms.BooleanField(
        label=_("Remove my picture and go back to the default avatar"), required=False
    )

    class Meta:
        model = User
        fields = ("username", "about_me")
        widgets = {"about_me": forms.Textarea(attrs={"rows": 3, "maxlength": 140})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avatar"].help_text = _(
            "A JPEG, PNG, WebP or GIF image of up to %(limit)s. It is cropped to a square; "
            "its metadata (such as the place a photo was taken) is removed."
        ) % {"limit": filesizeformat(settings.AVATAR_MAX_BYTES)}
        if not self.instance.has_uploaded_avatar:
            del self.fields["remove_avatar"]

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        return checked_avatar(user=self.instance, upload=upload)

    def save(self, commit=True):
        user = super().save(commit=commit)
        if self.cleaned_data.get("avatar"):
            set_avatar(user=user, image=self.cleaned_data["avatar"])
        elif self.cleaned_data.get("remove_avatar"):
            remove_avatar(user=user)
        return user


class ResetPasswordRequestForm(NoAutofocusMixin, auth_forms.PasswordResetForm):
    """Django's reset form, sending through our mail service (queued when a queue exists).

    Requests are limited per email address and per client address; past a limit the page
    answers as always, and no email is sent."""

    def save(self, *args, request=None, **kwargs):
        if password_reset_allowed(request, self.cleaned_data["email"]):
            super().save(*args, request=request, **kwargs)

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
