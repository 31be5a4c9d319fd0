from django import forms
from django.utils.translation import gettext_lazy as _


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=140,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 140}),
    )
