"""Moderating post images in the admin: previews, search by alt text, removing one image."""

import pytest

from microblog import images
from microblog.tests.images import stored_files, upload
from posts.media import add_images
from posts.models import Media, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(user, django_capture_on_commit_callbacks):
    post = Post.objects.create(author=user, body="two pictures")
    with django_capture_on_commit_callbacks(execute=True):
        add_images(
            post=post,
            images_with_alt=[
                (images.open_checked(upload()), "A lighthouse at dusk"),
                (images.open_checked(upload()), "A cat on a keyboard"),
            ],
        )
    return post


def test_media_list_shows_previews_and_searches_alt_text(admin_client, post):
    lighthouse, cat = post.media.all()
    response = admin_client.get("/admin/posts/media/", {"q": "lighthouse"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'src="{lighthouse.thumbnail.url}" alt="A lighthouse at dusk"' in html
    assert "A cat on a keyboard" not in html


def test_a_moderator_removes_one_image_from_a_post(
    admin_client, post, django_capture_on_commit_callbacks, _media_in_tmp
):
    lighthouse, cat = post.media.all()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/posts/media/",
            {"action": "remove_selected_images", "_selected_action": [cat.pk]},
            follow=True,
        )
    assert "1 image removed." in response.content.decode()
    assert list(post.media.all()) == [lighthouse]
    assert set(stored_files(_media_in_tmp)) == set(lighthouse.file_names)


def test_the_post_page_lists_its_images_with_a_delete_box(admin_client, post):
    html = admin_client.get(f"/admin/posts/post/{post.pk}/change/").content.decode()
    assert 'alt="A lighthouse at dusk"' in html
    assert "media-0-DELETE" in html


def test_images_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/posts/media/add/").status_code == 403
    assert Media.objects.count() == 0
