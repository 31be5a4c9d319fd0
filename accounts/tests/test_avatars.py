"""Avatars: the local identicon, and uploading (and removing) a picture on /edit_profile."""

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from accounts.jobs import make_avatar_sizes
from accounts.models import User
from accounts.services import set_avatar
from microblog import images
from microblog.tests.images import BAD_FILES, bad_upload, sideways_photo, stored_files, upload
from posts.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the sizes job, the old files' deletion) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def post_avatar(client, file, **fields):
    return client.post(
        "/edit_profile", {"username": "susan", "about_me": "", "avatar": file, **fields}
    )


# The local identicon --------------------------------------------------------------------------


def test_without_gravatar_each_user_has_a_local_identicon(settings, make_user, client):
    settings.AVATARS_GRAVATAR = False
    susan, bob = make_user("susan"), make_user("bob")
    assert susan.avatar(36) == f"/avatar/{susan.pk}/identicon.svg"
    first = client.get(susan.avatar(36))
    assert first.status_code == 200
    assert first["Content-Type"] == "image/svg+xml"
    assert "max-age=31536000" in first["Cache-Control"]
    assert "immutable" in first["Cache-Control"]
    assert first.content.startswith(b"<svg")
    assert client.get(susan.avatar(128)).content == first.content  # deterministic
    assert client.get(bob.avatar(36)).content != first.content


def test_without_gravatar_no_page_asks_gravatar(settings, signed_in, user):
    settings.AVATARS_GRAVATAR = False
    Post.objects.create(author=user, body="hello")
    for url in ("/", "/explore", "/user/susan", "/edit_profile"):
        html = signed_in.get(url).content.decode()
        assert "gravatar.com" not in html
        assert f"/avatar/{user.pk}/identicon.svg" in html


def test_with_gravatar_the_default_is_gravatars_identicon(user):
    assert user.avatar(64).startswith("https://www.gravatar.com/avatar/")


# Uploading ------------------------------------------------------------------------------------


def test_an_uploaded_avatar_is_stored_in_four_square_sizes(signed_in, user, committed):
    with committed():
        response = post_avatar(signed_in, upload("me.png", size=(640, 480)))
    assert response.status_code == 302
    user.refresh_from_db()
    assert sorted(user.avatar_sizes, key=int) == ["36", "64", "128", "400"]
    for size, name in user.avatar_sizes.items():
        with default_storage.open(name) as file, Image.open(file) as image:
            assert image.size == (int(size), int(size))
    assert user.avatar(36) == default_storage.url(user.avatar_sizes["36"])
    assert user.avatar(128) == default_storage.url(user.avatar_sizes["128"])
    assert user.avatar(100) == default_storage.url(user.avatar_sizes["128"])
    assert user.avatar(1000) == default_storage.url(user.avatar_sizes["400"])
    served = signed_in.get(user.avatar(64))  # by the site itself, from MEDIA_ROOT
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "immutable" in served["Cache-Control"]  # a new avatar has new names
    assert user.avatar(128) in signed_in.get("/user/susan").content.decode()


def test_the_avatar_is_upright_and_without_metadata(signed_in, user, committed):
    with committed():
        post_avatar(signed_in, upload("phone.jpg", data=sideways_photo()))
    user.refresh_from_db()
    for name in user.avatar_sizes.values():
        with default_storage.open(name) as file:
            raw = file.read()
        assert b"Exif" not in raw
        with default_storage.open(name) as file, Image.open(file) as image:
            assert not image.getexif()
            side = image.width
            red, _, _ = image.convert("RGB").getpixel((side // 2, side // 8))
            _, _, blue = image.convert("RGB").getpixel((side // 2, side - side // 8))
            assert red > 200 and blue > 200  # the top is the photo's left half


def test_until_the_sizes_exist_the_default_avatar_shows(signed_in, user):
    post_avatar(signed_in, upload())  # the job waits for the commit, which never comes here
    user.refresh_from_db()
    assert user.has_uploaded_avatar
    assert user.avatar_sizes == {}
    assert user.avatar(36).startswith("https://www.gravatar.com/")
    page = signed_in.get("/edit_profile").content.decode()
    assert "Your new picture is being prepared" in page


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_message_and_nothing_kept(
    kind, signed_in, user, committed, _media_in_tmp
):
    with committed():
        response = post_avatar(signed_in, bad_upload(kind), about_me="changed")
    assert response.status_code == 200
    text = response.content.decode()
    assert any(
        message in text
        for message in ("not a JPEG, PNG, WebP or GIF", "too large in pixels", "file is empty")
    )
    user.refresh_from_db()
    assert not user.has_uploaded_avatar
    assert user.about_me == ""  # nothing of the form half-saved
    assert not _media_in_tmp.exists() or stored_files(_media_in_tmp) == []


def test_an_over_sized_file_is_refused(settings, signed_in, user):
    settings.AVATAR_MAX_BYTES = 1000
    response = post_avatar(signed_in, upload("big.png", size=(800, 800), colour=None))
    assert "The file is too large" in response.content.decode()
    assert "the limit is 1000\xa0bytes" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_uploaded_avatar


def test_uploads_are_rate_limited(settings, signed_in, user, committed):
    settings.MEDIA_UPLOADS_PER_HOUR = 1
    with committed():
        post_avatar(signed_in, upload())
    response = post_avatar(signed_in, upload())
    assert "uploaded too many images" in response.content.decode()


def test_a_new_avatar_replaces_the_old_files(signed_in, user, committed, _media_in_tmp):
    with committed():
        post_avatar(signed_in, upload("one.png", colour="red"))
    user.refresh_from_db()
    first = set(user.avatar_sizes.values())
    with committed():
        post_avatar(signed_in, upload("two.png", colour="blue"))
    user.refresh_from_db()
    assert set(stored_files(_media_in_tmp)) == set(user.avatar_sizes.values())
    assert not first & set(user.avatar_sizes.values())


def test_removing_the_avatar_goes_back_to_the_default(signed_in, user, committed, _media_in_tmp):
    with committed():
        post_avatar(signed_in, upload())
    page = signed_in.get("/edit_profile").content.decode()
    assert "Remove my picture" in page
    with committed():
        response = post_avatar(signed_in, "", remove_avatar="on")
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.has_uploaded_avatar
    assert user.avatar(36).startswith("https://www.gravatar.com/")
    assert stored_files(_media_in_tmp) == []
    assert "Remove my picture" not in signed_in.get("/edit_profile").content.decode()


def test_sizes_made_for_a_replaced_avatar_are_thrown_away(user, _media_in_tmp):
    set_avatar(user=user, image=images.open_checked(upload()))  # its job has not run yet
    stale = user.avatar_file.name
    User.objects.filter(pk=user.pk).update(avatar_file="avatars/newer.png", avatar_sizes={})
    make_avatar_sizes(user.pk, stale)
    user.refresh_from_db()
    assert user.avatar_sizes == {}
    assert stored_files(_media_in_tmp) == [stale]


def test_post_lists_show_the_new_avatar_at_once(signed_in, user, committed):
    Post.objects.create(author=user, body="a post with a face")
    before = signed_in.get("/explore").content.decode()
    with committed():
        post_avatar(signed_in, upload())
    user.refresh_from_db()
    after = signed_in.get("/explore").content.decode()
    assert user.avatar(36) in after
    assert user.avatar(36) not in before
