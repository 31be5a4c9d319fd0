import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.utils import timezone

from posts import services
from posts.models import Post
from social.models import Follow

pytestmark = pytest.mark.django_db


def shown_posts(html):
    """The numbers of the "post N" bodies a page shows, in page order."""
    return [int(number) for number in re.findall(r">post (\d+)</p>", html)]


def make_posts(author, count, body="post {}"):
    now = timezone.now()
    return Post.objects.bulk_create(
        Post(author=author, body=body.format(i), timestamp=now - timedelta(minutes=i))
        for i in range(count)
    )


# Writing ----------------------------------------------------------------------------------


def test_writing_a_post_redirects_back_with_a_message(signed_in, user):
    response = signed_in.post("/", {"post": "  My first post  "}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    body = response.content.decode()
    assert "Your post is now live!" in body
    assert "My first post" in body
    assert Post.objects.get().body == "My first post"
    assert Post.objects.get().author == user


@pytest.fixture
def on_post_save():
    """on_post_save(handler): connect a post_save handler for Post for this test only."""
    connected = []

    def connect(handler):
        post_save.connect(handler, sender=Post, weak=False)
        connected.append(handler)

    yield connect
    for handler in connected:
        post_save.disconnect(handler, sender=Post)


@pytest.mark.django_db(transaction=True)
def test_a_post_holds_a_transaction_for_its_insert_only(signed_in, monkeypatch, on_post_save):
    """Other writers wait while a transaction is open (SQLite's write lock): the language is
    detected before it opens; the insert and its signal handlers run inside it."""
    seen = {}
    detect = services.detect_language

    def spy(text):
        seen["detecting"] = connection.in_atomic_block
        return detect(text)

    monkeypatch.setattr(services, "detect_language", spy)
    on_post_save(lambda instance, **kwargs: seen.setdefault("saving", connection.in_atomic_block))
    response = signed_in.post("/", {"post": "The tomatoes finally turned red this morning."})
    assert response.status_code == 302
    assert seen == {"detecting": False, "saving": True}
    assert Post.objects.get().language == "en"


def test_a_post_whose_writing_fails_is_rolled_back_with_a_500(user, on_post_save):
    def broken(**kwargs):
        raise RuntimeError("boom")

    on_post_save(broken)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.post("/", {"post": "a post that must not stay"})
    assert response.status_code == 500
    assert "An unexpected error has occurred" in response.content.decode()
    assert not Post.objects.exists()


def test_index_alias_shows_the_same_page(signed_in):
    assert "Your timeline" in signed_in.get("/index").content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 141, "at most 140 characters"),
    ],
)
def test_bad_posts_are_refused_and_the_text_stays(signed_in, text, message):
    response = signed_in.post("/", {"post": text})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    if text.strip():
        assert text in body
    assert not Post.objects.exists()


def test_post_body_is_escaped(signed_in):
    signed_in.post("/", {"post": "<script>alert(1)</script>"})
    body = signed_in.get("/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_writing_needs_csrf(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/", {"post": "hi"}).status_code == 403
    assert not Post.objects.exists()


# Lists and pagination ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/explore", "/user/susan"])
def test_lists_paginate_25_per_page_with_newer_and_older_links(signed_in, user, path):
    make_posts(user, 60)
    first = signed_in.get(path).content.decode()
    assert shown_posts(first) == list(range(25))
    assert 'href="?page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    second = signed_in.get(path, {"page": 2}).content.decode()
    assert shown_posts(second) == list(range(25, 50))
    assert 'href="?page=1" rel="prev"' in second and 'href="?page=3" rel="next"' in second
    last = signed_in.get(path, {"page": 3}).content.decode()
    assert shown_posts(last) == list(range(50, 60))
    assert 'rel="next"' not in last


@pytest.mark.parametrize("page", ["abc", "0", "-3", "1.5", ""])
def test_odd_page_numbers_mean_page_one(signed_in, user, page):
    make_posts(user, 30)
    response = signed_in.get("/explore", {"page": page})
    assert response.status_code == 200
    assert "post 0<" in response.content.decode()


@pytest.mark.parametrize("page", ["4", "99999999999999999999999999"])
def test_a_page_past_the_end_is_empty_with_a_way_back(signed_in, user, page):
    make_posts(user, 30)
    response = signed_in.get("/", {"page": page})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is nothing on this page." in body
    assert 'href="?page=1"' in body


def test_pagination_keeps_other_query_parameters(signed_in, user):
    make_posts(user, 30)
    body = signed_in.get("/explore", {"x": "a&b"}).content.decode()
    assert 'href="?x=a%26b&amp;page=2"' in body


def test_home_shows_followed_posts_only(signed_in, user, make_user):
    john, mary = make_user("john"), make_user("mary")
    Follow.objects.create(follower=user, followed=john)
    make_posts(john, 1, "john says {}")
    make_posts(mary, 1, "mary says {}")
    body = signed_in.get("/").content.decode()
    assert "john says 0" in body and "mary says 0" not in body
    assert "mary says 0" in signed_in.get("/explore").content.decode()


@pytest.mark.parametrize(
    ("path", "budget"),
    [("/", 6), ("/explore", 6), ("/user/susan", 7), ("/user/user0", 7), ("/user/user0/popup", 3)],
)
@pytest.mark.parametrize("per_page", [5, 50])
def test_list_pages_cost_the_same_queries_whatever_the_page_size(
    signed_in, user, make_user, settings, django_assert_max_num_queries, path, budget, per_page
):
    settings.POSTS_PER_PAGE = per_page
    others = [make_user(f"user{i}") for i in range(6)]
    for other in others:
        Follow.objects.create(follower=user, followed=other)
        make_posts(other, 10)
    make_posts(user, 10)
    signed_in.get(path)  # warm the session and last_seen
    # session, user, the navbar's unread count and running tasks, one query for the page of
    # posts with their authors, one for their images; a profile adds its user with counts and
    # "following?" (one query). The popup: session, user, and its user with counts and "following?".
    with django_assert_max_num_queries(budget):
        response = signed_in.get(path, {"page": 2})
    assert response.status_code == 200


def test_home_timeline_does_not_count_the_table(signed_in, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_posts(user, 30)
    with CaptureQueriesContext(connection) as queries:
        signed_in.get("/")
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if "posts_post" in sql]


# Deleting ---------------------------------------------------------------------------------


def test_author_deletes_after_confirming(signed_in, user):
    (p,) = make_posts(user, 1)
    confirm = signed_in.get(f"/post/{p.pk}/delete")
    assert "Are you sure" in confirm.content.decode()
    assert Post.objects.filter(pk=p.pk).exists()
    response = signed_in.post(f"/post/{p.pk}/delete", follow=True)
    assert "Your post has been deleted." in response.content.decode()
    assert not Post.objects.filter(pk=p.pk).exists()


def test_nobody_else_can_delete(signed_in, make_user):
    (p,) = make_posts(make_user("john"), 1)
    assert signed_in.get(f"/post/{p.pk}/delete").status_code == 403
    assert signed_in.post(f"/post/{p.pk}/delete").status_code == 403
    assert Post.objects.filter(pk=p.pk).exists()


def test_deleting_an_unknown_post_is_a_404(signed_in):
    assert signed_in.post("/post/999/delete").status_code == 404


def test_delete_link_only_on_own_posts(signed_in, user, make_user):
    (mine,) = make_posts(user, 1)
    (theirs,) = make_posts(make_user("john"), 1)
    body = signed_in.get("/explore").content.decode()
    assert f"/post/{mine.pk}/delete" in body
    assert f"/post/{theirs.pk}/delete" not in body


def test_delete_needs_csrf(user):
    from django.test import Client

    (p,) = make_posts(user, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"/post/{p.pk}/delete").status_code == 403
    assert Post.objects.filter(pk=p.pk).exists()
