from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from microblog.images import ACCEPT_ATTRIBUTE

from .models import User
from .services import checked_avatar, queue_templated_email, remove_avatar, set_avatar


class UniqueUserFieldsMixin:
    """Username and email are unique case-insensitively, whoever else holds them."""

    def _others(self):
        users = User.objects.all()
        if self.instance.pk:
            users = users.exclude(pk=self.instance.pk)
        return users

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self._others().filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Please use a different username."), code="unique")
        return username

    def clean_email(self):
        email = self.cleaned_data["email"]
        if self._others().filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Please use a different email address."), code="unique")
        return email


class NoAutofocusMixin:
    """Django's auth forms autofocus their first field; pages start at the top instead, so that
    keyboard and screen reader users meet "Skip to content" and the page's heading first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)


class RegistrationForm(NoAutofocusMixin, UniqueUserFieldsMixin, auth_forms.UserCreationForm):
    email = forms.EmailField(label=_("Email"), max_length=254)

    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class LoginForm(NoAutofocusMixin, auth_forms.AuthenticationForm):
    remember_me = forms.BooleanField(label=_("Remember me"), required=False)


class ProfileForm(UniqueUserFieldsMixin, forms.ModelForm):
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
