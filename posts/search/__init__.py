"""Full-text search of posts, through django-haystack (Whoosh by default).

- `indexes`: what is indexed (`PostIndex`);
- `backend`: the Whoosh engine: accent folding, and writers that take turns across processes;
- `sync`: the outbox of changed posts and the one job that brings the index in step with it;
- `query`: `search_posts()`, through Haystack, with a cache of result pages.
"""
