"""A NUL character anywhere a request brings input is a 400, never a 500 (PostgreSQL cannot
compare strings that hold one), and an oversized username is a form error before any query."""

import base64

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/user/%00"),
        ("get", "/user/a%00b/popup"),
        ("get", "/user/a%00b/followers"),
        ("get", "/user/a%00b/following"),
        ("get", "/send_message/%00"),
        ("post", "/follow/%00"),
        ("post", "/unfollow/%00"),
        ("get", "/search?q=a%00b"),
        ("get", "/notifications?since=%00"),
        ("post", "/send_message/susan"),
    ],
)
def test_nul_in_a_path_or_a_field_is_a_400(signed_in, method, path):
    data = {"message": "hi\x00there"} if method == "post" else None
    response = getattr(signed_in, method)(path, data)
    assert response.status_code == 400


def test_nul_in_a_sign_in_form_is_a_400(client, user):
    response = client.post("/auth/login", {"username": "susan\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("credentials", ["susan\x00:x", "susan:x\x00", "\x00:\x00"])
def test_nul_in_basic_credentials_is_a_400(client, user, credentials):
    header = "Basic " + base64.b64encode(credentials.encode()).decode()
    response = client.post("/api/tokens", HTTP_AUTHORIZATION=header)
    assert response.status_code == 400


def test_a_bearer_token_with_a_nul_is_refused(client, user):
    response = client.get("/api/timeline", HTTP_AUTHORIZATION="Bearer abcdefghijkl\x00secret")
    assert response.status_code == 400


def test_ordinary_requests_still_pass(signed_in, make_user):
    make_user("john")
    assert signed_in.get("/user/john").status_code == 200
    assert signed_in.post("/follow/john", {}).status_code == 302
