"""Rendered posts, cached: a list page draws most of its posts from the cache in one lookup.

Rendering 25 posts through the template engine is most of a list page's CPU. A post's HTML
depends only on the post, its author, its images (and whether their thumbnails are ready),
the language of the page, whether the viewer wrote it, and the template. The cache key is a
digest of exactly those, so an entry never needs to be invalidated: a changed username,
avatar, thumbnail or template gives a new key, a deleted
post is no longer in any list, and old entries simply age out of the cache.

The "fragments" cache is local memory on the embedded defaults and Redis (shared by every
process) when REDIS_URL is set.
"""

import hashlib
import logging

from django.core.cache import caches
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

log = logging.getLogger(__name__)

TEMPLATE = "includes/_post.html"
# Every template TEMPLATE includes, so that a change to any of them gives new keys
# (test_fragments checks this list against the {% include %} tags of the templates).
INCLUDED = ("includes/_user_link.html", "posts/_media.html")
KEY_PREFIX = "post-html"


def post_template():
    """The post template, and a digest of its source and its includes' (part of every key).

    Looked up on every call: the template loader caches the templates, and in development it
    hands out an edited template as soon as the file changes (hashing their 2 KB of source
    costs a few µs).
    """
    template = get_template(TEMPLATE)
    digest = hashlib.blake2b(digest_size=8)
    for found in (template, *(get_template(name) for name in INCLUDED)):
        digest.update(found.template.source.encode())
        digest.update(b"\x1f")
    return template, digest.hexdigest()


def fragment_key(post, language, viewer_id, template_digest):
    author = post.author
    parts = (
        template_digest,
        language,
        str(post.author_id == viewer_id),
        str(post.pk),
        post.timestamp.isoformat(),
        post.language,
        post.body,
        author.username,
        author.email,
        author.avatar(36),
        *(f"{m.pk}:{m.thumbnail.name}:{m.alt_text}" for m in post.media.all()),
    )
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}:{post.pk}:{digest}"


def render_posts(posts, viewer):
    """The HTML of `posts` (with their authors loaded), as `viewer` sees them on this page."""
    posts = list(posts)
    if not posts:
        return ""
    # Each key names the post's images: fetched here for every post at once, unless the
    # page's queryset brought them already (Post.objects.with_media()).
    prefetch_related_objects(posts, "media")
    template, template_digest = post_template()
    language = get_language() or ""
    viewer_id = getattr(viewer, "pk", None)
    keys = [fragment_key(post, language, viewer_id, template_digest) for post in posts]
    cache = caches["fragments"]
    try:
        found = cache.get_many(keys)
    except Exception:  # the cache (Redis) is unreachable: the page renders all the same
        log.warning("Fragment cache unavailable; rendering every post.", exc_info=True)
        cache, found = None, {}
    missing = {}
    html = []
    for post, key in zip(posts, keys, strict=True):
        fragment = found.get(key)
        if fragment is None:
            fragment = template.render({"post": post, "user": viewer})
            missing[key] = fragment
        html.append(fragment)
    if missing and cache is not None:
        try:
            cache.set_many(missing)
        except Exception:
            log.warning("Could not store rendered posts.", exc_info=True)
    return mark_safe("".join(html))
