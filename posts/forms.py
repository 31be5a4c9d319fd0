from django import forms
from django.utils.translation import gettext_lazy as _

from .translation import MAX_TEXT_LENGTH, known_languages


class PostForm(forms.Form):
    post = forms.CharField(
        label=_("Say something"),
        max_length=140,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 140}),
    )


class TranslateForm(forms.Form):
    """What the Translate link sends: the text and the two language codes."""

    text = forms.CharField(label=_("Text"), max_length=MAX_TEXT_LENGTH, strip=True)
    source_language = forms.CharField(label=_("Source language"), max_length=10)
    dest_language = forms.CharField(label=_("Destination language"), max_length=10)

    def _clean_language(self, field):
        code = self.cleaned_data[field].strip().lower()
        if code not in known_languages():
            raise forms.ValidationError(
                _("Unknown language code: %(code)s."),
                code="unknown_language",
                params={"code": code},
            )
        return code

    def clean_source_language(self):
        return self._clean_language("source_language")

    def clean_dest_language(self):
        return self._clean_language("dest_language")
