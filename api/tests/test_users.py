import re
from datetime import timedelta

import pytest
from django.utils import timezone

from posts.services import create_post
from social.services import follow

from .conftest import assert_envelope

pytestmark = pytest.mark.django_db

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture
def community(make_user):
    """susan follows john and mary; john follows susan; susan has two posts, john one."""
    susan, john, mary = make_user("susan"), make_user("john"), make_user("mary")
    follow(susan, john)
    follow(susan, mary)
    follow(john, susan)
    create_post(susan, "one")
    create_post(susan, "two")
    create_post(john, "three")
    return susan, john, mary


# Reading users --------------------------------------------------------------------------


def test_user_representation_is_the_tutorials(as_user, community):
    susan, john, _mary = community
    body = as_user(john).get(f"/api/users/{susan.pk}").json()
    assert set(body) == {
        "id",
        "username",
        "last_seen",
        "about_me",
        "post_count",
        "follower_count",
        "followed_count",
        "_links",
    }
    assert body["id"] == susan.pk
    assert body["username"] == "susan"
    assert ISO_Z.match(body["last_seen"])
    assert (body["post_count"], body["follower_count"], body["followed_count"]) == (2, 1, 2)
    assert body["_links"] == {
        "self": f"/api/users/{susan.pk}",
        "followers": f"/api/users/{susan.pk}/followers",
        "followed": f"/api/users/{susan.pk}/followed",
        "posts": f"/api/users/{susan.pk}/posts",
        "avatar": susan.avatar(128),
    }
    assert "password" not in body and "email" not in body


def test_own_representation_carries_email(as_user, user):
    body = as_user(user).get(f"/api/users/{user.pk}").json()
    assert body["email"] == "susan@example.com"
    assert "password" not in body


def test_unknown_user_is_404(as_user, user):
    assert_envelope(as_user(user).get("/api/users/99999"), 404, "Not Found")


def test_huge_user_id_is_404_not_500(as_user, user):
    response = as_user(user).get("/api/users/99999999999999999999999")
    assert_envelope(response, 404, "Not Found")


def test_deactivated_user_is_404_and_leaves_counts(as_user, community):
    susan, john, mary = community
    mary.is_active = False
    mary.save()
    client = as_user(john)
    assert_envelope(client.get(f"/api/users/{mary.pk}"), 404, "Not Found")
    assert client.get(f"/api/users/{susan.pk}").json()["followed_count"] == 1
    assert client.get(f"/api/users/{susan.pk}/followed").json()["_meta"]["total_items"] == 1
    assert client.get("/api/users").json()["_meta"]["total_items"] == 2


def test_user_collection_envelope(as_user, community):
    susan, _john, _mary = community
    body = as_user(susan).get("/api/users").json()
    assert [item["username"] for item in body["items"]] == ["susan", "john", "mary"]
    assert body["_meta"] == {"page": 1, "per_page": 10, "total_pages": 1, "total_items": 3}
    assert body["_links"] == {
        "self": "http://testserver/api/users?page=1&per_page=10",
        "next": None,
        "prev": None,
    }
    assert body["items"][0]["email"] == "susan@example.com"  # her own entry
    assert "email" not in body["items"][1]


def test_user_collection_pages_and_links(as_user, community):
    susan, _john, _mary = community
    client = as_user(susan)
    first = client.get("/api/users?per_page=2").json()
    assert [item["username"] for item in first["items"]] == ["susan", "john"]
    assert first["_meta"] == {"page": 1, "per_page": 2, "total_pages": 2, "total_items": 3}
    assert first["_links"]["prev"] is None
    second = client.get(first["_links"]["next"]).json()
    assert [item["username"] for item in second["items"]] == ["mary"]
    assert second["_links"]["next"] is None
    assert second["_links"]["prev"] == "http://testserver/api/users?page=1&per_page=2"


@pytest.mark.parametrize(
    ("query", "per_page"),
    [("per_page=0", 10), ("per_page=-1", 10), ("per_page=abc", 10), ("per_page=10000", 100)],
)
def test_bad_per_page_values_fall_back_or_are_capped(as_user, user, query, per_page):
    response = as_user(user).get(f"/api/users?{query}")
    assert response.status_code == 200
    assert response.json()["_meta"]["per_page"] == per_page


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", ""])
def test_bad_page_values_mean_page_one(as_user, user, page):
    response = as_user(user).get(f"/api/users?page={page}")
    assert response.status_code == 200
    assert response.json()["_meta"]["page"] == 1


def test_page_past_the_end_is_empty_with_a_way_back(as_user, user):
    body = as_user(user).get("/api/users?page=99999999999").json()
    assert body["items"] == []
    assert body["_links"]["next"] is None
    assert body["_links"]["prev"]


def test_followers_and_followed(as_user, community):
    susan, john, mary = community
    client = as_user(john)
    followers = client.get(f"/api/users/{susan.pk}/followers").json()
    assert [item["username"] for item in followers["items"]] == ["john"]
    followed = client.get(f"/api/users/{susan.pk}/followed").json()
    assert [item["username"] for item in followed["items"]] == ["mary", "john"]  # newest first
    assert followed["_links"]["self"].endswith(f"/api/users/{susan.pk}/followed?page=1&per_page=10")
    assert client.get(f"/api/users/{mary.pk}/followed").json()["items"] == []


@pytest.mark.parametrize("suffix", ["followers", "followed", "posts"])
def test_lists_of_unknown_user_are_404(as_user, user, suffix):
    assert_envelope(as_user(user).get(f"/api/users/424242/{suffix}"), 404, "Not Found")


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # token with its user, count, page
        ("/api/users", 3),
        # and the user whose followers/followed they are
        ("/api/users/{pk}/followers", 4),
        ("/api/users/{pk}/followed", 4),
    ],
)
def test_user_lists_need_constant_queries(
    as_user, make_user, django_assert_max_num_queries, url, budget
):
    star = make_user("star")
    for number in range(30):
        fan = make_user(f"fan{number}")
        follow(fan, star)
        follow(star, fan)
        create_post(fan, "hi")
    client = as_user(star)
    url = url.format(pk=star.pk)
    for per_page in (5, 30):
        with django_assert_max_num_queries(budget):
            response = client.get(f"{url}?per_page={per_page}")
        assert len(response.json()["items"]) == per_page
    counts = {item["username"]: item for item in client.get(f"{url}?per_page=100").json()["items"]}
    assert counts["fan3"]["post_count"] == 1
    assert counts["fan3"]["follower_count"] == 1 and counts["fan3"]["followed_count"] == 1


def test_reading_a_user_is_two_queries(as_user, community, django_assert_max_num_queries):
    susan, john, _mary = community
    client = as_user(susan)
    with django_assert_max_num_queries(2):  # the token with its user; the user with counts
        body = client.get(f"/api/users/{john.pk}").json()
    assert (body["post_count"], body["follower_count"], body["followed_count"]) == (1, 1, 1)


def test_a_session_cookie_beside_the_token_costs_no_queries(
    api, bearer, community, django_assert_max_num_queries
):
    """A client that also signed in to the site (as the benchmark's do) sends its session
    cookie: the API authenticates by the token and never loads the session or its user."""
    susan, john, _mary = community
    api.force_login(john)
    api.credentials(HTTP_AUTHORIZATION=bearer(susan))
    api.get(f"/api/users/{susan.pk}")
    with django_assert_max_num_queries(2):
        body = api.get(f"/api/users/{susan.pk}").json()
    assert body["email"] == "susan@example.com"  # the token's user, not the session's
    with django_assert_max_num_queries(3):
        assert len(api.get("/api/users?page=1").json()["items"]) == 3


def test_the_browsable_api_keeps_last_seen_current(signed_in, user):
    old = timezone.now() - timedelta(days=2)
    type(user).objects.filter(pk=user.pk).update(last_seen=old)
    assert signed_in.get("/api/users", HTTP_ACCEPT="application/json").status_code == 200
    user.refresh_from_db()
    assert user.last_seen > old


def test_reading_users_needs_a_token(api, user):
    for url in ("/api/users", f"/api/users/{user.pk}", f"/api/users/{user.pk}/followers"):
        response = api.get(url)
        assert_envelope(response, 401, "Unauthorized")
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_signed_in_browser_can_use_the_browsable_api(signed_in, user):
    response = signed_in.get("/api/users", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Microblog" in response.content or b"Django REST framework" in response.content
    assert b"susan" in response.content


# Registering ----------------------------------------------------------------------------


def test_register(api, db):
    response = api.post(
        "/api/users",
        {
            "username": "alice",
            "password": "dog-and-cat-42",
            "email": "alice@example.com",
            "about_me": "Hello, my name is Alice!",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"/api/users/{body['id']}"
    assert body["username"] == "alice"
    assert body["about_me"] == "Hello, my name is Alice!"
    assert (body["post_count"], body["follower_count"], body["followed_count"]) == (0, 0, 0)
    assert "password" not in body
    from accounts.models import User

    assert User.objects.get(username="alice").check_password("dog-and-cat-42")


def test_register_then_get_a_token(api, db):
    api.post(
        "/api/users",
        {"username": "alice", "password": "dog-and-cat-42", "email": "alice@example.com"},
        format="json",
    )
    from .conftest import basic

    response = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("alice", "dog-and-cat-42"))
    assert response.status_code == 200


def test_register_with_missing_fields(api, db):
    body = assert_envelope(api.post("/api/users", {}, format="json"), 400, "Bad Request")
    assert set(body["errors"]) == {"username", "email", "password"}
    assert "username" in body["message"]


@pytest.mark.parametrize(
    ("taken", "field"),
    [({"username": "SUSAN"}, "username"), ({"email": "Susan@Example.com"}, "email")],
)
def test_register_refuses_taken_names_case_insensitively(api, user, taken, field):
    data = {"username": "alice", "email": "alice@example.com", "password": "dog-and-cat-42"}
    body = assert_envelope(
        api.post("/api/users", {**data, **taken}, format="json"), 400, "Bad Request"
    )
    assert list(body["errors"]) == [field]
    assert "Please use a different" in body["message"]
    assert "_ci_unique" not in str(body)  # never the constraint's internal name


def test_register_applies_the_password_validators(api, db):
    data = {"username": "alice", "email": "alice@example.com", "password": "dog"}
    body = assert_envelope(api.post("/api/users", data, format="json"), 400, "Bad Request")
    assert "password" in body["errors"]
    assert "too short" in body["message"]


@pytest.mark.parametrize(
    "data",
    [
        {"username": ["alice"], "email": "alice@example.com", "password": "dog-and-cat-42"},
        {"username": "alice", "email": 42, "password": "dog-and-cat-42"},
        {"username": "alice", "email": "not-an-address", "password": "dog-and-cat-42"},
        {"username": "al ice!", "email": "alice@example.com", "password": "dog-and-cat-42"},
        {"username": "a" * 151, "email": "alice@example.com", "password": "dog-and-cat-42"},
        {"username": "alice", "email": "alice@example.com", "password": None},
        {"username": "alice", "email": "alice@example.com", "password": "x", "about_me": "a" * 141},
    ],
)
def test_register_with_wrong_types_or_values(api, db, data):
    assert_envelope(api.post("/api/users", data, format="json"), 400, "Bad Request")


def test_register_with_a_json_list(api, db):
    body = assert_envelope(api.post("/api/users", [1, 2], format="json"), 400, "Bad Request")
    assert "non_field_errors" in body["errors"]


def test_register_with_malformed_json(api, db):
    response = api.post("/api/users", '{"username": "alice",', content_type="application/json")
    body = assert_envelope(response, 400, "Bad Request")
    assert "JSON" in body["message"]


def test_register_with_an_unsupported_media_type(api, db):
    response = api.post("/api/users", "username=alice", content_type="text/plain")
    assert_envelope(response, 415, "Unsupported Media Type")


# Changing one's account -----------------------------------------------------------------


def test_put_changes_own_about_me_only(as_user, user):
    response = as_user(user).put(
        f"/api/users/{user.pk}", {"about_me": "Hi, I am Susan"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["about_me"] == "Hi, I am Susan"
    user.refresh_from_db()
    assert (user.username, user.email, user.about_me) == (
        "susan",
        "susan@example.com",
        "Hi, I am Susan",
    )


def test_put_changes_username_and_email(as_user, user):
    response = as_user(user).put(
        f"/api/users/{user.pk}", {"username": "susanna", "email": "s@example.org"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["username"] == "susanna"
    assert response.json()["email"] == "s@example.org"


def test_put_keeping_own_names_is_fine(as_user, user):
    response = as_user(user).put(
        f"/api/users/{user.pk}", {"username": "Susan", "email": "SUSAN@example.com"}, format="json"
    )
    assert response.status_code == 200


def test_put_ignores_password_and_read_only_fields(as_user, user):
    response = as_user(user).put(
        f"/api/users/{user.pk}", {"password": "x", "id": 999, "post_count": 5}, format="json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.pk != 999 and user.check_password("correct-horse-battery")


@pytest.mark.parametrize(
    ("data", "field"),
    [({"username": "JOHN"}, "username"), ({"email": "john@EXAMPLE.com"}, "email")],
)
def test_put_refuses_taken_names(as_user, make_user, data, field):
    susan = make_user("susan")
    make_user("john")
    response = as_user(susan).put(f"/api/users/{susan.pk}", data, format="json")
    body = assert_envelope(response, 400, "Bad Request")
    assert list(body["errors"]) == [field]
    assert "Please use a different" in body["message"] and "_ci_unique" not in str(body)


def test_put_on_someone_else_is_403(as_user, make_user):
    susan, john = make_user("susan"), make_user("john")
    response = as_user(susan).put(f"/api/users/{john.pk}", {"about_me": "hacked"}, format="json")
    assert_envelope(response, 403, "Forbidden")
    john.refresh_from_db()
    assert john.about_me == ""


def test_put_on_unknown_user_is_404(as_user, user):
    response = as_user(user).put("/api/users/99999", {"about_me": "x"}, format="json")
    assert_envelope(response, 404, "Not Found")


def test_put_with_malformed_json_is_400(as_user, user):
    response = as_user(user).put(f"/api/users/{user.pk}", "{", content_type="application/json")
    assert_envelope(response, 400, "Bad Request")


def test_put_with_wrong_types_is_400(as_user, user):
    response = as_user(user).put(f"/api/users/{user.pk}", {"about_me": {"a": 1}}, format="json")
    body = assert_envelope(response, 400, "Bad Request")
    assert "about_me" in body["errors"]


def test_put_without_token_is_401(api, user):
    response = api.put(f"/api/users/{user.pk}", {"about_me": "x"}, format="json")
    assert_envelope(response, 401, "Unauthorized")


def test_delete_user_is_405(as_user, user):
    response = as_user(user).delete(f"/api/users/{user.pk}")
    assert_envelope(response, 405, "Method Not Allowed")


def test_a_name_taken_by_a_concurrent_request_is_400_not_500(api, user, monkeypatch):
    """The check above the database can lose a race; the unique constraint still answers."""
    from accounts.models import User

    # the other request's row commits between this one's check and its insert
    monkeypatch.setattr(User, "validate_constraints", lambda self, exclude=None: None)
    data = {"username": "SUSAN", "email": "other@example.com", "password": "dog-and-cat-42"}
    body = assert_envelope(api.post("/api/users", data, format="json"), 400, "Bad Request")
    assert "Please use a different" in body["message"]
    assert User.objects.count() == 1
