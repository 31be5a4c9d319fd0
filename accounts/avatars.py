"""Uploaded avatars: where their files live and which stored size answers a request."""

SIZES = (400, 128, 64, 36)  # largest first: the source is the 400 px square


def stored_size_for(size):
    """The smallest stored size at least `size` pixels (the largest if none is)."""
    fitting = [stored for stored in SIZES if stored >= size]
    return min(fitting) if fitting else SIZES[0]
