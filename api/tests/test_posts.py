import re

import pytest

from posts.models import Post
from posts.services import create_post
from social.services import follow

from .conftest import assert_envelope

pytestmark = pytest.mark.django_db

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_post_representation(as_user, user):
    post = create_post(user, "hello world")
    body = as_user(user).get(f"/api/posts/{post.pk}").json()
    assert body["id"] == post.pk
    assert body["body"] == "hello world"
    assert ISO_Z.match(body["timestamp"])
    assert isinstance(body["language"], str)
    assert body["author"] == {
        "id": user.pk,
        "username": "susan",
        "_links": {"self": f"/api/users/{user.pk}", "avatar": user.avatar(128)},
    }
    assert body["_links"] == {"self": f"/api/posts/{post.pk}", "author": f"/api/users/{user.pk}"}


def test_posts_lists_every_visible_post_newest_first(as_user, make_user):
    susan, john, gone = make_user("susan"), make_user("john"), make_user("gone")
    create_post(susan, "first")
    create_post(john, "second")
    create_post(gone, "hidden")
    gone.is_active = False
    gone.save()
    body = as_user(susan).get("/api/posts").json()
    assert [item["body"] for item in body["items"]] == ["second", "first"]
    assert body["_meta"]["total_items"] == 2
    assert body["_links"]["self"] == "http://testserver/api/posts?page=1&per_page=10"


def test_user_posts(as_user, make_user):
    susan, john = make_user("susan"), make_user("john")
    create_post(susan, "mine")
    create_post(john, "his")
    body = as_user(john).get(f"/api/users/{susan.pk}/posts").json()
    assert [item["body"] for item in body["items"]] == ["mine"]


def test_timeline_is_own_and_followed_posts(as_user, make_user):
    susan, john, mary = make_user("susan"), make_user("john"), make_user("mary")
    follow(susan, john)
    create_post(susan, "mine")
    create_post(john, "followed")
    create_post(mary, "stranger")
    body = as_user(susan).get("/api/timeline").json()
    assert [item["body"] for item in body["items"]] == ["followed", "mine"]


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # token with its user, count, page (with the authors), the page's images
        ("/api/posts", 4),
        ("/api/timeline", 4),
        # and the user whose posts they are
        ("/api/users/{pk}/posts", 5),
    ],
)
def test_post_lists_need_constant_queries(
    as_user, make_user, django_assert_max_num_queries, url, budget
):
    reader = make_user("reader")
    for number in range(30):
        author = make_user(f"author{number}")
        follow(reader, author)
        create_post(author, f"post {number}")
        create_post(reader, f"own {number}")
    client = as_user(reader)
    for per_page in (5, 30):
        with django_assert_max_num_queries(budget):
            response = client.get(f"{url.format(pk=reader.pk)}?per_page={per_page}")
        assert len(response.json()["items"]) == per_page


@pytest.mark.parametrize("query", ["per_page=0", "per_page=-1", "per_page=abc", "per_page=10000"])
def test_post_lists_handle_bad_per_page(as_user, user, query):
    create_post(user, "x")
    response = as_user(user).get(f"/api/timeline?{query}")
    assert response.status_code == 200
    assert response.json()["_meta"]["per_page"] in (10, 100)


def test_create_post(as_user, user):
    response = as_user(user).post("/api/posts", {"body": "  Hello from the API  "}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["body"] == "Hello from the API"
    assert response["Location"] == f"/api/posts/{body['id']}"
    post = Post.objects.get()
    assert (post.author, post.body) == (user, "Hello from the API")
    assert body["language"] == post.language


def test_create_post_ignores_read_only_fields(as_user, make_user):
    susan, john = make_user("susan"), make_user("john")
    response = as_user(susan).post(
        "/api/posts", {"body": "hi", "author": john.pk, "language": "xx", "id": 7}, format="json"
    )
    assert response.status_code == 201
    post = Post.objects.get()
    assert post.author == susan and post.language != "xx"


@pytest.mark.parametrize(
    "data",
    [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 141}, {"body": ["x"]}, {"body": None}],
)
def test_create_post_refuses_bad_bodies(as_user, user, data):
    body = assert_envelope(
        as_user(user).post("/api/posts", data, format="json"), 400, "Bad Request"
    )
    assert "body" in body["errors"]
    assert not Post.objects.exists()


def test_create_post_with_malformed_json(as_user, user):
    response = as_user(user).post("/api/posts", '{"body": ', content_type="application/json")
    assert_envelope(response, 400, "Bad Request")


def test_create_post_needs_a_token(api, user):
    assert_envelope(api.post("/api/posts", {"body": "x"}, format="json"), 401, "Unauthorized")


def test_delete_own_post(as_user, user):
    post = create_post(user, "bye")
    response = as_user(user).delete(f"/api/posts/{post.pk}")
    assert response.status_code == 204
    assert not Post.objects.exists()


def test_delete_someone_elses_post_is_403(as_user, make_user):
    susan, john = make_user("susan"), make_user("john")
    post = create_post(john, "his")
    assert_envelope(as_user(susan).delete(f"/api/posts/{post.pk}"), 403, "Forbidden")
    assert Post.objects.filter(pk=post.pk).exists()


def test_unknown_post_is_404(as_user, user):
    client = as_user(user)
    assert_envelope(client.get("/api/posts/424242"), 404, "Not Found")
    assert_envelope(client.delete("/api/posts/424242"), 404, "Not Found")


def test_put_on_a_post_is_405(as_user, user):
    post = create_post(user, "x")
    response = as_user(user).put(f"/api/posts/{post.pk}", {"body": "y"}, format="json")
    assert_envelope(response, 405, "Method Not Allowed")


def test_post_of_a_deactivated_author_is_404(as_user, make_user):
    susan, gone = make_user("susan"), make_user("gone")
    post = create_post(gone, "hidden")
    gone.is_active = False
    gone.save()
    assert_envelope(as_user(susan).get(f"/api/posts/{post.pk}"), 404, "Not Found")
