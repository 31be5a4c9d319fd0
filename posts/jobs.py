"""Background jobs of the posts app."""

from django.core.files.storage import default_storage
from PIL import Image

from microblog import images

from .models import THUMBNAIL_SIDE, Media


def make_thumbnail(media_id):
    """Make a post image's thumbnail, then record it (the post shows a placeholder until then)."""
    media = Media.objects.filter(pk=media_id).first()
    if media is None or media.thumbnail:
        return
    with default_storage.open(media.file.name) as source, Image.open(source) as image:
        image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG: decode at a reduced scale
        image.load()
        small = images.thumbnail(image, THUMBNAIL_SIDE)
    content, extension = images.encode(small, images.output_format(small))
    stem = media.file.name.rsplit(".", 1)[0]
    name = default_storage.save(f"{stem}-thumb.{extension}", content)
    if not Media.objects.filter(pk=media_id, thumbnail="").update(thumbnail=name):
        default_storage.delete(name)  # deleted (or done) meanwhile
