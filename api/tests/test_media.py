"""POST /api/media, and posts that attach it with media_ids (as Mastodon's API does)."""

import pytest

from microblog.tests.images import BAD_FILES, bad_upload, stored_files, upload
from posts.models import Media, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def upload_media(client, file=None, alt_text="A teal square"):
    return client.post(
        "/api/media", {"file": file or upload(), "alt_text": alt_text}, format="multipart"
    )


def test_upload_then_attach_to_a_post(as_user, user, committed):
    client = as_user(user)
    with committed():
        response = upload_media(client, upload("a.png", size=(800, 600)))
    assert response.status_code == 201
    media = response.json()
    assert media["width"] == 800 and media["height"] == 600
    assert media["alt_text"] == "A teal square"
    assert media["url"].startswith("http://testserver/media/media/")
    assert media["preview_url"] is None  # the thumbnail job runs once the upload is committed
    response = client.post(
        "/api/posts", {"body": "with a picture", "media_ids": [media["id"]]}, format="json"
    )
    assert response.status_code == 201
    media["preview_url"] = response.json()["media"][0]["preview_url"]
    assert media["preview_url"].startswith("http://testserver/media/media/")
    assert media["preview_url"].endswith("-thumb.jpg")
    assert response.json()["media"] == [media]
    post_id = response.json()["id"]
    assert client.get(f"/api/posts/{post_id}").json()["media"] == [media]
    listed = client.get("/api/posts").json()["items"][0]
    assert listed["media"] == [media]


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_files_are_a_400_and_nothing_is_kept(kind, as_user, user, _media_in_tmp):
    response = upload_media(as_user(user), bad_upload(kind))
    assert response.status_code == 400
    assert response.json()["message"]
    assert not Media.objects.exists()
    assert not _media_in_tmp.exists() or stored_files(_media_in_tmp) == []


def test_missing_alt_text_is_a_400(as_user, user):
    response = upload_media(as_user(user), alt_text="")
    assert response.status_code == 400
    assert "alt_text" in str(response.json())
    assert not Media.objects.exists()


@pytest.mark.parametrize("whose", ["another user's", "already used", "unknown"])
def test_media_ids_must_be_own_and_unused(whose, as_user, user, make_user, committed):
    other = make_user("other")
    owner = other if whose == "another user's" else user
    with committed():
        media_id = upload_media(as_user(owner)).json()["id"]
    client = as_user(user)
    if whose == "already used":
        client.post("/api/posts", {"body": "first", "media_ids": [media_id]}, format="json")
    if whose == "unknown":
        media_id += 1000
    response = client.post("/api/posts", {"body": "second", "media_ids": [media_id]}, format="json")
    assert response.status_code == 400
    assert "Unknown media id" in str(response.json())
    assert not Post.objects.filter(body="second").exists()


def test_a_fifth_image_is_a_400(as_user, user, committed):
    client = as_user(user)
    with committed():
        ids = [upload_media(client).json()["id"] for _ in range(5)]
    response = client.post("/api/posts", {"body": "five", "media_ids": ids}, format="json")
    assert response.status_code == 400
    assert "at most 4 images" in str(response.json())
    assert not Post.objects.exists()
    assert Media.objects.filter(post__isnull=True).count() == 5


def test_uploading_needs_a_token(api):
    assert upload_media(api).status_code == 401


def test_post_lists_with_images_need_constant_queries(
    as_user, user, committed, django_assert_max_num_queries
):
    client = as_user(user)
    for number in range(12):
        with committed():
            media_id = upload_media(client).json()["id"]
        client.post("/api/posts", {"body": f"p{number}", "media_ids": [media_id]}, format="json")
    for per_page in (3, 12):
        # token with its user, count, page (with the authors), the page's images
        with django_assert_max_num_queries(4):
            response = client.get(f"/api/posts?per_page={per_page}")
        assert all(item["media"] for item in response.json()["items"])
