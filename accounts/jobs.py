"""Background jobs of the accounts app."""

from django.core.files.storage import default_storage
from PIL import Image

from microblog import images

from .avatars import SIZES
from .models import User


def deliver_email(message):
    """Send an already rendered EmailMessage (queued by services.queue_templated_email)."""
    message.send()


def make_avatar_sizes(user_id, source_name):
    """Make the smaller sizes of an uploaded avatar, then list them on the user.

    If the user has changed or removed the avatar meanwhile, the sizes made are deleted.
    """
    stem = source_name.rsplit(".", 1)[0]
    names = {str(SIZES[0]): source_name}
    with default_storage.open(source_name) as source, Image.open(source) as image:
        image.load()
        for size in SIZES[1:]:
            content, extension = images.encode(
                images.square(image, size), images.output_format(image)
            )
            names[str(size)] = default_storage.save(f"{stem}-{size}.{extension}", content)
    updated = User.objects.filter(pk=user_id, avatar_file=source_name).update(avatar_sizes=names)
    if not updated:
        for size in SIZES[1:]:
            default_storage.delete(names[str(size)])
