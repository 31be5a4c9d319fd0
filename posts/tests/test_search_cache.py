"""Pages of result ids are cached under the index's version: repeated queries skip Whoosh, and
nothing served from the cache is ever stale."""

import pytest
from django.core.cache import caches
from whoosh.searching import Searcher

from posts.models import Post
from posts.search.backend import index_version
from posts.search.query import RESULTS_CACHE, search_posts
from posts.search.sync import sync_posts
from posts.services import delete_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_results_cache():
    caches[RESULTS_CACHE].clear()
    yield
    caches[RESULTS_CACHE].clear()


@pytest.fixture
def whoosh_searches(monkeypatch):
    """The list of queries Whoosh was asked to score (a cache hit adds nothing)."""
    calls = []
    original = Searcher.search

    def counted(self, q, *args, **kwargs):
        calls.append(q)
        return original(self, q, *args, **kwargs)

    monkeypatch.setattr(Searcher, "search", counted)
    return calls


def bodies(page):
    return [post.body for post in page]


def test_a_repeated_query_is_answered_from_the_cache(write, whoosh_searches):
    write("kayak on the lake")
    assert bodies(search_posts("kayak")) == ["kayak on the lake"]
    assert bodies(search_posts("kayak")) == ["kayak on the lake"]
    assert bodies(search_posts("  kayak ")) == ["kayak on the lake"]  # the same query
    assert len(whoosh_searches) == 1


def test_a_new_post_appears_on_a_cached_query(write, whoosh_searches):
    write("kayak on the lake")
    assert bodies(search_posts("kayak")) == ["kayak on the lake"]
    write("kayak in the rain, kayak in the sun")
    assert bodies(search_posts("kayak")) == [
        "kayak in the rain, kayak in the sun",
        "kayak on the lake",
    ]
    assert len(whoosh_searches) == 2


def test_a_deleted_post_disappears_from_a_cached_query(write, committed):
    kept = write("kayak on the lake")
    gone = write("kayak for sale")
    assert len(search_posts("kayak")) == 2
    with committed():
        delete_post(gone)
    assert [post.pk for post in search_posts("kayak")] == [kept.pk]


def test_an_edited_post_leaves_a_cached_query_for_its_old_words(write, committed):
    # The post is still in the database: only the index can tell it no longer matches.
    post = write("the first draft")
    assert bodies(search_posts("draft")) == ["the first draft"]
    post.body = "the final version"
    with committed():
        post.save()
    assert bodies(search_posts("draft")) == []
    assert bodies(search_posts("final")) == ["the final version"]


def test_different_queries_and_pages_do_not_share_entries(write):
    write("apples and pears")
    write("apples, apples, apples")
    write("pears, pears")
    assert bodies(search_posts("apples")) == ["apples, apples, apples", "apples and pears"]
    assert bodies(search_posts("pears")) == ["pears, pears", "apples and pears"]
    assert bodies(search_posts("apples -pears")) == ["apples, apples, apples"]
    assert bodies(search_posts("apples", 1, per_page=1)) == ["apples, apples, apples"]
    assert bodies(search_posts("apples", 2, per_page=1)) == ["apples and pears"]
    assert bodies(search_posts("apples", 1, per_page=1)) == ["apples, apples, apples"]
    assert bodies(search_posts("apples")) == ["apples, apples, apples", "apples and pears"]


def test_pages_end_exactly_and_past_the_end(write, settings):
    settings.POSTS_PER_PAGE = 3
    for i in range(6):
        write(f"bread recipe number {i}")
    for _ in range(2):  # computed, then from the cache
        first, second, third = (search_posts("bread", n) for n in (1, 2, 3))
        assert (len(first), len(second), len(third)) == (3, 3, 0)
        assert (first.has_next, second.has_next, third.has_next) == (True, False, False)
        assert third.is_past_the_end and not second.is_past_the_end
        assert search_posts("bread", 9).is_past_the_end


def test_an_index_built_again_from_scratch_is_not_taken_for_the_old_one(
    write, search_index, whoosh_searches
):
    write("lantern in the window")
    generation = search_index.index.latest_generation()
    assert bodies(search_posts("lantern")) == ["lantern in the window"]
    # rebuild_index deletes the index and counts generations again from 0.
    search_index.clear()
    write("lantern by the door")
    assert search_index.index.latest_generation() == generation
    # The first post is still in the database, but no longer in the index.
    assert bodies(search_posts("lantern")) == ["lantern by the door"]
    assert len(whoosh_searches) == 2


def test_every_index_commit_changes_the_version(write, search_index):
    write("first")
    before = index_version()
    assert index_version() == before
    write("second")
    assert index_version() != before


def test_sync_posts_after_a_cached_search_is_seen(search_index, user):
    post = Post.objects.create(author=user, body="quiet harbour")  # no signals yet
    assert bodies(search_posts("harbour")) == []
    sync_posts([post.pk])
    assert bodies(search_posts("harbour")) == ["quiet harbour"]
