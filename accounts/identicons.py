"""Identicons drawn here: a 5 x 5 mirrored pattern in one colour, from a digest of the user's id.

The same user always gets the same picture, and no request leaves the site for it (the
Gravatar identicon needs gravatar.com; AVATARS_GRAVATAR=false turns that off).
"""

import colorsys
import hashlib

GRID = 5
VERSION = 1  # in the address: a change of drawing must not be hidden by year-long caches


def identicon_svg(user_id):
    digest = hashlib.blake2b(f"identicon:{VERSION}:{user_id}".encode(), digest_size=16).digest()
    hue = int.from_bytes(digest[:2], "big") / 65535
    red, green, blue = (round(c * 255) for c in colorsys.hls_to_rgb(hue, 0.45, 0.55))
    colour = f"#{red:02x}{green:02x}{blue:02x}"
    bits = int.from_bytes(digest[2:], "big")
    cells = []
    half = (GRID + 1) // 2
    for row in range(GRID):
        for column in range(half):
            if bits & 1:
                cells.append((column, row))
                if column != GRID - 1 - column:
                    cells.append((GRID - 1 - column, row))
            bits >>= 1
    rects = "".join(f'<rect x="{x}" y="{y}" width="1" height="1"/>' for x, y in cells)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6" '
        'shape-rendering="crispEdges">'
        '<rect x="-0.5" y="-0.5" width="6" height="6" fill="#f0f0f0"/>'
        f'<g fill="{colour}">{rects}</g></svg>'
    )
