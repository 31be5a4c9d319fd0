"""Uploaded images, checked by their content and re-encoded clean (shared by avatars and posts).

Nothing about an upload is trusted: not its name, not its declared type. Pillow reads the
file; it must be one of the accepted formats, whole, and small enough in bytes and in pixels
(a decompression bomb is a small file that would unpack to gigabytes). What is stored is
re-encoded from the pixels alone, so EXIF (GPS position, camera serial numbers) and other
metadata never reach the storage; the EXIF orientation is applied first, so the picture
stays the right way up.
"""

import io
import time
import warnings

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
# The browser's file picker narrows to these; the server still checks the content.
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/gif"


def _read(upload, *, max_bytes):
    size = upload.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:  # a stream that said less than it held
        raise ValidationError(
            _("The file is too large; the limit is %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(max_bytes)},
        )
    return data


def _not_an_image():
    return ValidationError(
        _("This file is not a JPEG, PNG, WebP or GIF image, or it is damaged."),
        code="invalid_image",
    )


def _too_many_pixels(max_pixels):
    return ValidationError(
        _("The image is too large in pixels; the limit is %(limit)s megapixels."),
        code="too_many_pixels",
        params={"limit": f"{max_pixels / 1_000_000:g}"},
    )


def open_checked(upload, *, max_bytes=None, max_pixels=None):
    """The upload as a loaded Pillow image, or a ValidationError saying what is wrong.

    The image keeps its `format` ("JPEG", "PNG", "WEBP" or "GIF").
    """
    max_bytes = max_bytes or settings.MEDIA_MAX_BYTES
    max_pixels = max_pixels or settings.MEDIA_MAX_PIXELS
    data = _read(upload, max_bytes=max_bytes)
    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice it: here both are a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _not_an_image()
                frames = getattr(probe, "n_frames", 1)
                if probe.width * probe.height * frames > max_pixels:
                    raise _too_many_pixels(max_pixels)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()  # verify() misses a truncated file; decoding it does not
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels(max_pixels) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise _not_an_image() from error
    return image


def _without_metadata(image):
    """The pixels the right way up, with no metadata left to save."""
    upright = ImageOps.exif_transpose(image)
    if "transparency" in upright.info:  # kept as an alpha channel, not as metadata
        upright = upright.convert("RGBA")
    upright.info.clear()
    return upright


def _rgb_or_rgba(image):
    if image.mode in ("RGB", "RGBA"):
        return image
    has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def encode(image, image_format):
    """The image re-encoded in `image_format`, as (ContentFile, extension); nothing but pixels."""
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=85)
    else:
        image.save(buffer, image_format, optimize=True)
    return ContentFile(buffer.getvalue()), ACCEPTED_FORMATS[image_format]


def clean_copy(image):
    """What is stored of an upload: same format and size, upright, metadata stripped.

    An animated GIF keeps its frames (each one stripped the same way).
    """
    image_format = image.format
    if image_format == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames = []
        durations = []
        for index in range(image.n_frames):
            image.seek(index)
            durations.append(image.info.get("duration", 100))
            frames.append(_rgb_or_rgba(image.copy()))
        buffer = io.BytesIO()
        frames[0].save(
            buffer,
            "GIF",
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=0,
            disposal=2,
        )
        image.seek(0)
        return ContentFile(buffer.getvalue()), "gif", frames[0].size
    upright = _without_metadata(image)
    if image_format == "GIF":
        upright = _rgb_or_rgba(upright)
    content, extension = encode(upright, image_format)
    return content, extension, upright.size


def square(image, size):
    """Upright, metadata-free, centre-cropped to a square, resized to `size` pixels."""
    upright = _rgb_or_rgba(_without_metadata(image))
    return ImageOps.fit(upright, (size, size), Image.Resampling.LANCZOS)


def thumbnail(image, longest_side):
    """Upright, metadata-free, fitted within `longest_side` pixels (never enlarged)."""
    upright = _rgb_or_rgba(_without_metadata(image))
    upright.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    return upright


def output_format(image):
    """How a derived picture (a size, a thumbnail) is saved: PNG keeps transparency."""
    return "PNG" if image.mode == "RGBA" else "JPEG"


def _upload_counter(user):
    return f"uploads:{user.pk}:{int(time.time() // 3600)}"


def check_upload_rate(user):
    """Refuse an upload past MEDIA_UPLOADS_PER_HOUR for this user (a fixed hourly window)."""
    if cache.get(_upload_counter(user), 0) >= settings.MEDIA_UPLOADS_PER_HOUR:
        raise ValidationError(
            _("You have uploaded too many images in the last hour; please try again later."),
            code="rate_limited",
        )


def record_upload(user):
    key = _upload_counter(user)
    cache.add(key, 0, timeout=60 * 60)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=60 * 60)
