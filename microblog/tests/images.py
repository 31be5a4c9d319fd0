"""Image files for upload tests, made here with Pillow (and by hand, for the broken ones)."""

import io
import os
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def image_bytes(image_format="PNG", size=(64, 48), colour="teal", exif=None, **options):
    """An image file; colour=None makes it noise, which does not compress (a big file)."""
    if colour is None:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    if exif is not None:
        options["exif"] = exif
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(name="picture.png", data=None, content_type="image/png", **kwargs):
    return SimpleUploadedFile(name, image_bytes(**kwargs) if data is None else data, content_type)


def sideways_photo():
    """A JPEG that must turn 90 degrees clockwise to stand up (EXIF orientation 6), with a GPS
    position: its left half red, its right half blue, so upright the top is red."""
    image = Image.new("RGB", (200, 100), "blue")
    image.paste((255, 0, 0), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def _chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def huge_png(width=20_000, height=20_000):
    """A few hundred bytes that claim to be a 20,000 x 20,000 PNG (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


def truncated_jpeg():
    data = image_bytes("JPEG", size=(400, 300), colour="orange")
    return data[: len(data) // 2]


BAD_FILES = {
    "text renamed .jpg": ("notes.jpg", b"Dear diary, today I uploaded a text file.\n" * 20),
    "truncated JPEG": ("cut.jpg", truncated_jpeg()),
    "20,000 x 20,000 PNG": ("bomb.png", huge_png()),
    "0-byte file": ("empty.png", b""),
}


def bad_upload(kind):
    name, data = BAD_FILES[kind]
    return SimpleUploadedFile(name, data, "image/jpeg")


def stored_files(root):
    """Every file under `root` (MEDIA_ROOT), as paths relative to it."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
