"""Pictures for the demo community, drawn here with Pillow (no downloads): simple scenes with
a sky, a sun and hills, and round-faced avatars, each from a few numbers."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from microblog import images


def _checked(image):
    """The drawing as an upload would arrive, through the same checks (images.open_checked)."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return images.open_checked(ContentFile(buffer.getvalue(), name="demo.jpg"))


def scene(sky, ground, sun, size=(960, 640)):
    """A landscape: a sky fading to white, a sun, two hills."""
    width, height = size
    picture = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(picture)
    for row in range(height // 2):
        fade = row / (height / 2)
        colour = tuple(round(c + (255 - c) * fade * 0.6) for c in sky)
        draw.line([(0, row), (width, row)], fill=colour)
    draw.ellipse([width * 0.65, height * 0.12, width * 0.8, height * 0.12 + width * 0.15], fill=sun)
    draw.ellipse([-width * 0.3, height * 0.55, width * 0.7, height * 1.6], fill=ground)
    darker = tuple(round(c * 0.8) for c in ground)
    draw.ellipse([width * 0.35, height * 0.62, width * 1.4, height * 1.7], fill=darker)
    return _checked(picture)


def face(background, skin, hair, size=480):
    """A friendly round face on a plain background."""
    picture = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(picture)
    draw.ellipse([size * 0.2, size * 0.12, size * 0.8, size * 0.55], fill=hair)
    draw.ellipse([size * 0.25, size * 0.2, size * 0.75, size * 0.8], fill=skin)
    for x in (0.4, 0.6):
        draw.ellipse([size * (x - 0.03), size * 0.42, size * (x + 0.03), size * 0.48], fill="black")
    draw.arc([size * 0.38, size * 0.5, size * 0.62, size * 0.68], 20, 160, fill="black", width=6)
    return _checked(picture)
