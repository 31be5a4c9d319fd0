"""The search index follows the posts, and searching it returns posts best match first."""

import shutil

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from haystack import connections

from posts.models import Post
from posts.search.query import search_posts
from posts.search.sync import sync_posts
from posts.services import create_post, delete_post

pytestmark = pytest.mark.django_db


def bodies(page):
    return [post.body for post in page]


def indexed_ids(backend):
    backend.setup()
    with backend.index.refresh().searcher() as searcher:
        return sorted(int(doc["django_id"]) for doc in searcher.documents())


def test_matching_words_find_the_post(write):
    write("The tomatoes finally turned red")
    write("A quiet evening with a book")
    assert bodies(search_posts("tomatoes")) == ["The tomatoes finally turned red"]
    assert bodies(search_posts("tomato")) == ["The tomatoes finally turned red"]
    assert bodies(search_posts("TOMATOES red")) == ["The tomatoes finally turned red"]
    assert bodies(search_posts("nothing-like-this")) == []


def test_the_best_match_comes_first(write):
    write("I walked past a garden on my long way to the market this morning")
    write("Garden, garden, garden: all I think about is my garden")
    write("Coffee and a book")
    write("My garden is green")
    assert bodies(search_posts("garden")) == [
        "Garden, garden, garden: all I think about is my garden",
        "My garden is green",
        "I walked past a garden on my long way to the market this morning",
    ]


def test_phrases_in_quotes_match_exactly(write):
    write("red tomatoes in the garden")
    write("tomatoes are red")
    assert bodies(search_posts('"red tomatoes"')) == ["red tomatoes in the garden"]


def test_spanish_accents_match_with_or_without_them(write):
    write("Mi canción favorita es de Mecano")
    write("Mañana tenemos examen de cálculo")
    assert bodies(search_posts("canción")) == ["Mi canción favorita es de Mecano"]
    assert bodies(search_posts("cancion")) == ["Mi canción favorita es de Mecano"]
    assert bodies(search_posts("CALCULO")) == ["Mañana tenemos examen de cálculo"]
    assert bodies(search_posts("mañana")) == ["Mañana tenemos examen de cálculo"]


def test_unicode_beyond_latin(write):
    write("Привет мир from Moscow")
    write("Ελληνικά γράμματα")
    write("Party time 🎉 tonight")
    assert bodies(search_posts("привет")) == ["Привет мир from Moscow"]
    assert bodies(search_posts("γράμματα")) == ["Ελληνικά γράμματα"]
    assert bodies(search_posts("tonight 🎉")) == ["Party time 🎉 tonight"]


def test_pages_of_results_do_not_overlap(write, settings):
    settings.POSTS_PER_PAGE = 3
    for i in range(7):
        write(f"bread recipe number {i}")
    first, second, third = (search_posts("bread", n) for n in (1, 2, 3))
    assert (len(first), len(second), len(third)) == (3, 3, 1)
    assert (first.has_next, second.has_next, third.has_next) == (True, True, False)
    seen = [p.pk for page in (first, second, third) for p in page]
    assert sorted(seen) == sorted(Post.objects.values_list("pk", flat=True))
    assert search_posts("bread", 9).is_past_the_end


def test_results_come_with_authors_in_one_query(write, make_user, django_assert_num_queries):
    for i in range(30):
        write(f"coffee thought {i}", author=make_user(f"writer{i}"))
    with django_assert_num_queries(1):
        page = search_posts("coffee")
        assert [post.author.username for post in page]
    assert len(page) == 25 and page.has_next


def test_a_deleted_post_leaves_the_index(write, committed, search_index):
    kept = write("sourdough starter day one")
    gone = write("sourdough loaf, finally")
    with committed():
        delete_post(gone)
    assert bodies(search_posts("sourdough")) == ["sourdough starter day one"]
    assert indexed_ids(search_index) == [kept.pk]


def test_an_edited_post_is_found_by_its_new_words(write, committed):
    post = write("the first draft")
    post.body = "the final version"
    with committed():
        post.save()
    assert bodies(search_posts("final")) == ["the final version"]
    assert bodies(search_posts("draft")) == []


def test_a_rolled_back_post_never_reaches_the_index(search_index, committed, user):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        create_post(user, "a post that will be rolled back")
        raise RuntimeError
    assert indexed_ids(search_index) == []


def test_posts_of_deactivated_users_do_not_appear(write, committed, make_user):
    spammer = make_user("spammer")
    write("cheap watches here", author=spammer)
    write("my watches are not cheap")
    spammer = get_user_model().objects.get(pk=spammer.pk)
    spammer.is_active = False
    with committed():
        spammer.save()
    assert bodies(search_posts("watches")) == ["my watches are not cheap"]
    spammer.is_active = True
    with committed():
        spammer.save()
    assert len(search_posts("watches")) == 2


def test_deactivated_users_posts_are_hidden_even_before_the_index_catches_up(write, make_user):
    spammer = make_user("spammer")
    write("cheap watches here", author=spammer)
    get_user_model().objects.filter(pk=spammer.pk).update(is_active=False)  # no signals
    assert bodies(search_posts("watches")) == []


def test_sync_posts_makes_the_index_agree_with_the_database(search_index, user):
    stale = Post.objects.create(author=user, body="stale entry")
    sync_posts([stale.pk])
    Post.objects.filter(pk=stale.pk).delete()  # as if the delete's update had been lost
    fresh = Post.objects.bulk_create([Post(author=user, body="fresh entry")])[0]
    sync_posts([stale.pk, fresh.pk, 999_999])
    assert indexed_ids(search_index) == [fresh.pk]


ODD_QUERIES = [
    '"',
    '""',
    "'",
    "*",
    "*:*",
    ":",
    "text:tomatoes",
    "AND",
    "OR",
    "NOT",
    "tomatoes AND",
    "AND OR NOT TO",
    '"unbalanced quote',
    "unbalanced quote'",
    "(((",
    ")",
    "[1 TO",
    "{x TO y}",
    "tomato~",
    "tomato^2",
    "tom?to",
    "-",
    "+",
    "\\",
    "/",
    "%",
    "<script>alert(1)</script>",
    "django_ct:posts.post",
    "tomatoes " * 2000,
    "x" * 10_000,
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_return_a_page(write, query):
    write("The tomatoes finally turned red")
    page = search_posts(query)
    assert isinstance(page.object_list, list)
    assert not page.extra.get("unavailable")


def test_a_page_of_results_costs_one_search(write, monkeypatch):
    backend_class = type(connections["default"].get_backend())
    calls = []
    original = backend_class.search

    def counted(self, *args, **kwargs):
        calls.append(kwargs.get("start_offset"))
        return original(self, *args, **kwargs)

    for i in range(5):
        write(f"bike ride {i}")
    monkeypatch.setattr(backend_class, "search", counted)
    page = search_posts("bike", 2, per_page=2)
    assert len(page) == 2 and page.has_next  # the number of hits comes with the page
    assert calls == [2]


def test_a_search_during_a_rebuild_retries_then_says_unavailable(write, monkeypatch):
    backend_class = type(connections["default"].get_backend())
    write("harbour lights")
    real, calls = backend_class.search, []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError("segment swapped by a rebuild")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(backend_class, "search", flaky)
    assert bodies(search_posts("harbour")) == ["harbour lights"]

    def broken(self, *args, **kwargs):
        raise FileNotFoundError("index gone")

    monkeypatch.setattr(backend_class, "search", broken)
    page = search_posts("harbour lights")  # not the query cached just now
    assert page.extra == {"unavailable": True} and list(page) == []


def test_a_deleted_index_says_unavailable_and_a_new_one_is_searched(write, search_index):
    write("harbour lights")
    assert bodies(search_posts("harbour")) == ["harbour lights"]
    shutil.rmtree(search_index.path)
    page = search_posts("harbour")
    assert page.extra == {"unavailable": True} and list(page) == []
    search_index.setup()  # an empty index again
    assert bodies(search_posts("harbour")) == []
    write("harbour walls")
    assert bodies(search_posts("harbour")) == ["harbour walls"]


def test_one_index_commit_for_all_the_posts_of_a_transaction(write, committed, monkeypatch):
    backend_class = type(connections["default"].get_backend())
    posts = [write(f"spring cleaning {i}") for i in range(5)]
    removals = []
    original = backend_class.remove_many
    monkeypatch.setattr(
        backend_class,
        "remove_many",
        lambda self, ids: removals.append(sorted(ids)) or original(self, ids),
    )
    with committed(), transaction.atomic():
        Post.objects.filter(pk__in=[p.pk for p in posts[:3]]).delete()  # signals per post
    assert removals == [sorted(f"posts.post.{p.pk}" for p in posts[:3])]
    assert sorted(bodies(search_posts("cleaning"))) == sorted(p.body for p in posts[3:])


def test_ids_left_by_a_rollback_are_harmless(write, committed, user, search_index):
    kept = write("rollback survivor")
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            Post.objects.filter(pk=kept.pk).delete()
            raise RuntimeError
        write("after the rollback")
    assert bodies(search_posts("survivor")) == ["rollback survivor"]
    assert len(indexed_ids(search_index)) == 2
