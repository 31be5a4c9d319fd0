from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from microblog import images

from .media import check_can_upload, clean_alt_text
from .models import MAX_ALT_TEXT_LENGTH
from .translation import MAX_TEXT_LENGTH, known_languages


class PostForm(forms.Form):
    post = forms.CharField(
        label=_("Say something"),
        max_length=140,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 140}),
    )


class PostImagesForm(forms.Form):
    """The post form's images: MEDIA_MAX_PER_POST slots, each a file and its alt text.

    `images_with_alt` is [(checked image, alt text), ...] once valid. Sent in the same
    <form> as PostForm (multipart); nothing is stored until both are valid.
    """

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.slots = []
        for number in range(1, settings.MEDIA_MAX_PER_POST + 1):
            image_name, alt_name = f"image_{number}", f"alt_text_{number}"
            self.fields[image_name] = forms.FileField(
                label=_("Image %(number)d") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs={"accept": images.ACCEPT_ATTRIBUTE}),
            )
            self.fields[alt_name] = forms.CharField(
                label=_("Alt text for image %(number)d") % {"number": number},
                required=False,
                max_length=MAX_ALT_TEXT_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_ALT_TEXT_LENGTH}),
            )
            self.slots.append((self[image_name], self[alt_name]))
        self.images_with_alt = []

    @property
    def help_text(self):
        return _(
            "Up to %(count)d JPEG, PNG, WebP or GIF images of %(size)s each. Each needs alt "
            "text: a description read to people who cannot see the image."
        ) % {
            "count": settings.MEDIA_MAX_PER_POST,
            "size": filesizeformat(settings.MEDIA_MAX_BYTES),
        }

    def clean(self):
        cleaned = super().clean()
        uploads = []
        for number in range(1, settings.MEDIA_MAX_PER_POST + 1):
            upload = cleaned.get(f"image_{number}")
            alt_text = cleaned.get(f"alt_text_{number}", "")
            if upload is None:
                if alt_text:
                    self.add_error(f"image_{number}", _("Choose the image this text describes."))
                continue
            try:
                alt_text = clean_alt_text(alt_text)
            except ValidationError as error:
                self.add_error(f"alt_text_{number}", error)
            uploads.append((number, upload, alt_text))
        if not uploads or self.errors:
            return cleaned
        try:
            check_can_upload(self.owner, [upload for _number, upload, _alt in uploads])
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned
        for number, upload, alt_text in uploads:
            try:
                self.images_with_alt.append((images.open_checked(upload), alt_text))
            except ValidationError as error:
                self.add_error(f"image_{number}", error)
        return cleaned


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
