"""Searching reuses the thread's Whoosh searcher and caches pages of ids, and is never stale."""

import threading

import pytest
from django.core.cache import caches
from haystack import connections
from haystack.constants import ID
from whoosh import scoring
from whoosh.searching import Searcher

from posts.models import Post
from posts.search import RESULTS_CACHE, search_posts, sync_posts
from posts.search_backends import field_lengths
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


def test_the_searcher_is_kept_until_the_index_changes(write, search_index):
    write("first")
    snapshot = search_index.snapshot()
    assert search_index.snapshot() is snapshot
    write("second")
    renewed = search_index.snapshot()
    assert renewed is not snapshot and renewed.version != snapshot.version
    assert search_index.snapshot() is renewed


def test_each_thread_has_its_own_searcher(write, search_index):
    write("first")
    mine = search_index.snapshot()
    theirs = []

    def search_in_a_thread():
        backend = connections["default"].get_backend()
        theirs.append(backend.snapshot())

    thread = threading.Thread(target=search_in_a_thread)
    thread.start()
    thread.join()
    assert theirs[0].searcher is not mine.searcher
    assert theirs[0].version == mine.version


def test_unchanged_segments_are_reused_and_changed_ones_reopened(search_index, user):
    """Whoosh segments: the readers of those a commit leaves alone are kept, others reopened."""
    index = connections["default"].get_unified_index().get_index(Post)
    posts = [Post.objects.create(author=user, body=f"canoe trip {i}") for i in range(4)]

    def commit_without_merging(add=(), delete=()):
        writer = search_index.writer()
        for post in add:
            doc = index.full_prepare(post)
            writer.add_document(
                **{k: search_index._from_python(v) for k, v in doc.items() if k != "boost"}
            )
        for post in delete:
            writer.delete_by_term(ID, f"posts.post.{post.pk}")
        writer.commit(merge=False)

    def leaves():
        reader = search_index.snapshot().searcher.reader()
        return {leaf.segment().segment_id(): leaf for leaf, _ in reader.leaf_readers()}

    def found():
        return sorted(post.pk for post in search_posts("canoe"))

    commit_without_merging(add=posts[:2])
    commit_without_merging(add=posts[2:3])
    before = leaves()
    assert found() == [p.pk for p in posts[:3]]

    commit_without_merging(add=posts[3:])  # a third segment; the other two unchanged
    after = leaves()
    assert len(after) == 3
    assert all(after[segment] is reader for segment, reader in before.items())
    assert found() == [p.pk for p in posts]

    commit_without_merging(delete=posts[:1])  # a deletion in the first segment
    changed = leaves()
    first = next(iter(before))
    assert changed[first] is not after[first] and not after[first].segment().has_deletions()
    assert sum(leaf is after[segment] for segment, leaf in changed.items()) == 2
    assert found() == [p.pk for p in posts[1:]]
    # The deleted post is still in the database: the index alone keeps it out.
    assert Post.objects.filter(pk=posts[0].pk).exists()


def test_sync_posts_after_a_cached_search_is_seen(search_index, user):
    post = Post.objects.create(author=user, body="quiet harbour")  # no signals yet
    assert bodies(search_posts("harbour")) == []
    sync_posts([post.pk])
    assert bodies(search_posts("harbour")) == ["quiet harbour"]


def test_scores_are_whooshs_own(write, search_index):
    """The snapshot's searcher reads document lengths its own way: the scores must not change."""
    write("tea")
    write("tea and biscuits by the window")
    write("tea, tea, more tea please, then some tea")
    write("green tea " + "word " * 25)  # a long post (lengths are stored in one byte)
    write("no match here")
    searcher = search_index.snapshot().searcher
    for leaf, _ in searcher.reader().leaf_readers():  # read the fast way, not the fallback
        assert len(field_lengths(leaf, search_index.content_field_name)) == leaf.doc_count_all()
    plain = Searcher(searcher.reader(), weighting=scoring.BM25F())
    for text, found in (("tea", 4), ("tea window", 1), ("tea NOT green", 3)):
        query = search_index.parser.parse(text)
        ours, theirs = searcher.search(query, limit=None), plain.search(query, limit=None)
        assert [(hit.docnum, hit.score) for hit in ours] == [
            (hit.docnum, hit.score) for hit in theirs
        ]
        assert len(ours) == found
