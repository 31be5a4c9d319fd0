"""Haystack looks for each app's indexes in `<app>.search_indexes`."""

from posts.search.indexes import PostIndex

__all__ = ["PostIndex"]
