"""Writes of post images: upload, attach to a post, remove. One path for the site, the API,
the admin and the commands (the home page's form, POST /api/media, the admin's action).

A file is stored only once everything about it has been checked, and every stored file is
deleted again if its row cannot be written; a deleted row's files go once the deletion is
committed (posts.signals), so a post's deletion, whatever path it takes, removes its files.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microblog import images
from microblog.jobs import enqueue

from .jobs import make_thumbnail
from .models import MAX_ALT_TEXT_LENGTH, Media


def clean_alt_text(alt_text):
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise ValidationError(
            _(
                "Please describe the image: alt text is what people who cannot see it "
                "(with a screen reader, or when images do not load) get instead."
            ),
            code="alt_text_required",
        )
    if len(alt_text) > MAX_ALT_TEXT_LENGTH:
        raise ValidationError(
            _("Alt text can be at most %(limit)d characters (it has %(count)d)."),
            code="alt_text_too_long",
            params={"limit": MAX_ALT_TEXT_LENGTH, "count": len(alt_text)},
        )
    return alt_text


def stored_bytes(user):
    return Media.objects.filter(owner=user).aggregate(total=Sum("file_size"))["total"] or 0


def check_can_upload(user, uploads):
    """Refuse `uploads` (files not yet read) past the user's hourly rate or storage quota."""
    images.check_upload_rate(user)
    incoming = sum(upload.size or 0 for upload in uploads)
    if stored_bytes(user) + incoming > settings.MEDIA_QUOTA_BYTES:
        raise ValidationError(
            _(
                "These images would take you past your storage quota of %(quota)s; "
                "delete some posts with images first."
            ),
            code="quota",
            params={"quota": filesizeformat(settings.MEDIA_QUOTA_BYTES)},
        )


def check_count(count):
    limit = settings.MEDIA_MAX_PER_POST
    if count > limit:
        raise ValidationError(
            ngettext(
                "A post can have at most %(limit)d image.",
                "A post can have at most %(limit)d images.",
                limit,
            ),
            code="too_many_images",
            params={"limit": limit},
        )


def prepared_media(*, owner, image, alt_text):
    """An unsaved Media for a checked image (images.open_checked), its clean copy already
    stored: the slow part (re-encoding, storage) done before any transaction opens."""
    alt_text = clean_alt_text(alt_text)
    content, extension, (width, height) = images.clean_copy(image)
    name = default_storage.save(f"media/{owner.pk}/{secrets.token_hex(8)}.{extension}", content)
    return Media(
        owner=owner,
        file=name,
        alt_text=alt_text,
        width=width,
        height=height,
        file_size=content.size,
    )


def prepare_images(*, owner, images_with_alt):
    """prepared_media for [(checked image, alt text), ...]: all of them, or none stored."""
    check_count(len(images_with_alt))
    prepared = []
    try:
        for image, alt_text in images_with_alt:
            prepared.append(prepared_media(owner=owner, image=image, alt_text=alt_text))
    except Exception:
        discard_prepared(prepared)
        raise
    return prepared


def discard_prepared(prepared):
    """Delete the files of prepared media whose rows could not be written."""
    for media in prepared:
        for name in media.file_names:
            default_storage.delete(name)


def save_prepared(*, prepared, post=None):
    """Write the rows of prepared media (in the caller's transaction); thumbnails follow."""
    for media in prepared:
        media.post = post
        media.save()
        images.record_upload(media.owner)
        enqueue(make_thumbnail, media.pk)
    return prepared


def store_media(*, owner, image, alt_text, post=None):
    """Store a checked image (images.open_checked) with its alt text; the thumbnail follows."""
    prepared = [prepared_media(owner=owner, image=image, alt_text=alt_text)]
    try:
        with transaction.atomic():
            [media] = save_prepared(prepared=prepared, post=post)
    except Exception:
        discard_prepared(prepared)
        raise
    return media


def upload_media(*, owner, upload, alt_text):
    """An uploaded file, checked by content, stored unattached (for POST /api/media)."""
    alt_text = clean_alt_text(alt_text)
    check_can_upload(owner, [upload])
    return store_media(owner=owner, image=images.open_checked(upload), alt_text=alt_text)


def add_images(*, post, images_with_alt):
    """Store [(checked image, alt text), ...] on an existing post: all of them, or none."""
    prepared = prepare_images(owner=post.author, images_with_alt=images_with_alt)
    try:
        with transaction.atomic():
            return save_prepared(prepared=prepared, post=post)
    except Exception:
        discard_prepared(prepared)
        raise


def attach_media(*, post, media_ids):
    """Attach the author's own unused uploads `media_ids` to `post`, or refuse them all."""
    media_ids = list(dict.fromkeys(media_ids))
    check_count(post.media.count() + len(media_ids))
    with transaction.atomic():
        attached = (
            Media.objects.unattached_of(post.author)
            .filter(pk__in=media_ids)
            .select_for_update()
            .update(post=post)
        )
        if attached != len(media_ids):
            raise ValidationError(
                _("Unknown media id: each must be one of your own uploads, not yet used."),
                code="unknown_media",
            )
    return attached


def remove_media(*, media):
    """Take one image off its post (a moderator's removal); its files follow the row."""
    media.delete()
