"""Searching posts: Haystack's SearchQuerySet, then the posts and their authors from the database.

A page of result ids is cached (the "search" cache) under the index's version
(`backend.index_version()`), which every commit to the index changes: a cached page is
never served for another state of the index, and a new post is found at once.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.index import IndexError as WhooshIndexError

from microblog.pagination import Page
from posts.models import Post

from .backend import index_version

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200  # characters of a query that are searched; the rest is ignored
RESULTS_CACHE = "search"


def indexed_count():
    """How many posts the index holds (for checks and the benchmark)."""
    return SearchQuerySet().models(Post).count()


def matching(query):
    """The index's hits for a user's query, best first (quotes, `-word` and so on allowed)."""
    results = SearchQuerySet().auto_query(query)
    if narrow_to_posts():
        results = results.models(Post)
    return results


def narrow_to_posts():
    # Narrowing to a model scans the whole index: only pay for it when other models share it.
    return len(connections["default"].get_unified_index().get_indexed_models()) > 1


def search_posts(query, number=1, per_page=None):
    """Page `number` of the visible posts matching `query`, best match first.

    The index gives the ids in order of relevance; the posts and their authors then come from
    the database in one query, which also drops posts deleted or hidden since they were indexed.
    """
    per_page = per_page or settings.POSTS_PER_PAGE
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    offset = (number - 1) * per_page
    ids = None
    for attempt in range(3):
        try:
            ids, has_next = page_ids(query, offset, per_page)
            break
        except (OSError, WhooshIndexError):
            # A rebuild swapped the files under us: look again.
            log.warning("Search failed; retrying.", exc_info=True)
            time.sleep(0.05 * (attempt + 1))
    if ids is None:
        return Page(object_list=[], number=number, has_next=False, extra={"unavailable": True})
    by_id = Post.objects.visible().with_authors().in_bulk(ids)
    return Page(
        object_list=[by_id[pk] for pk in ids if pk in by_id], number=number, has_next=has_next
    )


def page_ids(query, offset, per_page):
    """The ids of the posts on a page of results, best first, and whether more follow.

    One Haystack search gives the page and the number of hits; the answer is cached under
    the version of the index read (taken before the search: a commit during the search can
    only make the entry newer than its key says).
    """
    version = index_version()
    cache = caches[RESULTS_CACHE]
    key = results_cache_key(version, query, offset, per_page) if version is not None else None
    if key is not None and (cached := cache.get(key)) is not None:
        return cached
    results = matching(query)
    ids = [int(result.pk) for result in results[offset : offset + per_page]]
    answer = (ids, offset + per_page < results.count())
    if key is not None:
        cache.set(key, answer)
    return answer


def results_cache_key(version, query, offset, per_page):
    path = connections.connections_info["default"].get("PATH", "")
    digest = hashlib.sha256(
        "\n".join([str(path), version, query, str(offset), str(per_page)]).encode()
    ).hexdigest()
    return f"search:ids:{digest}"
