from django import forms
from django.utils.translation import gettext_lazy as _


class PostForm(forms.Form):
    post = forms.CharField(
        label=_("Say something"),
        max_length=140,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 140}),
    )
