"""Images on posts: attached from the home page's form, shown as thumbnails, deleted with it."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from microblog.tests.images import BAD_FILES, bad_upload, sideways_photo, stored_files, upload
from posts.jobs import make_thumbnail
from posts.media import remove_media
from posts.models import Media, Post
from posts.services import delete_post
from social.models import Follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def post_with(client, body="look at this", **slots):
    return client.post("/", {"post": body, **slots})


def test_a_post_with_two_images_shows_their_thumbnails(signed_in, user, committed):
    with committed():
        response = post_with(
            signed_in,
            image_1=upload("a.png", size=(1200, 900)),
            alt_text_1="A teal square",
            image_2=upload("b.jpg", image_format="JPEG", content_type="image/jpeg"),
            alt_text_2="An orange <b>thing</b>",
        )
    assert response.status_code == 302
    post = Post.objects.get()
    first, second = post.media.all()
    assert (first.width, first.height, first.alt_text) == (1200, 900, "A teal square")
    with default_storage.open(first.thumbnail.name) as file, Image.open(file) as thumb:
        assert thumb.size == (480, 360)
    html = signed_in.get("/").content.decode()
    assert f'href="{first.file.url}"' in html
    assert f'src="{first.thumbnail.url}" alt="A teal square"' in html
    assert 'alt="An orange &lt;b&gt;thing&lt;/b&gt;"' in html  # escaped
    assert html.count(">ALT</span>") == 2
    assert signed_in.get(first.file.url).status_code == 200


def test_until_the_thumbnail_is_made_a_placeholder_shows(signed_in, user):
    post_with(signed_in, image_1=upload(), alt_text_1="A teal square")  # no commit: no job
    media = Media.objects.get()
    assert not media.thumbnail
    html = signed_in.get("/").content.decode()
    assert 'src="/static/img/image-placeholder.svg" alt="A teal square"' in html
    make_thumbnail(media.pk)
    media.refresh_from_db()
    html = signed_in.get("/").content.decode()  # the cached post is not shown stale
    assert f'src="{media.thumbnail.url}" alt="A teal square"' in html


def test_stored_images_are_upright_without_metadata(signed_in, user, committed):
    with committed():
        post_with(signed_in, image_1=upload("p.jpg", data=sideways_photo()), alt_text_1="Red, blue")
    media = Media.objects.get()
    assert (media.width, media.height) == (100, 200)
    for name in media.file_names:
        with default_storage.open(name) as file:
            assert b"Exif" not in file.read()
        with default_storage.open(name) as file, Image.open(file) as image:
            assert not image.getexif()
            assert image.height > image.width


def test_alt_text_is_required_and_the_form_says_why(signed_in, user, _media_in_tmp):
    response = post_with(signed_in, image_1=upload(), alt_text_1="  ")
    assert response.status_code == 200
    text = response.content.decode()
    assert "alt text is what people who cannot see it" in text
    assert "Alt text can be at most" not in text
    assert not Post.objects.exists() and not Media.objects.exists()
    assert not _media_in_tmp.exists() or stored_files(_media_in_tmp) == []


def test_alt_text_has_a_limit(signed_in, user):
    response = post_with(signed_in, image_1=upload(), alt_text_1="x" * 1501)
    assert "at most 1500 characters" in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_and_nothing_is_kept(kind, signed_in, user, committed, _media_in_tmp):
    with committed():
        response = post_with(
            signed_in,
            image_1=upload(),
            alt_text_1="a good one",
            image_2=bad_upload(kind),
            alt_text_2="a bad one",
        )
    assert response.status_code == 200
    text = response.content.decode()
    assert any(
        message in text
        for message in ("not a JPEG, PNG, WebP or GIF", "too large in pixels", "file is empty")
    )
    assert not Post.objects.exists() and not Media.objects.exists()
    assert not _media_in_tmp.exists() or stored_files(_media_in_tmp) == []


def test_an_over_sized_file_is_refused(settings, signed_in, user):
    settings.MEDIA_MAX_BYTES = 2000
    response = post_with(signed_in, image_1=upload(size=(600, 600), colour=None), alt_text_1="x")
    assert "The file is too large" in response.content.decode()
    assert not Post.objects.exists()


def test_the_form_offers_as_many_slots_as_allowed(settings, signed_in):
    html = signed_in.get("/").content.decode()
    assert 'name="image_4"' in html and 'name="image_5"' not in html
    settings.MEDIA_MAX_PER_POST = 2
    html = signed_in.get("/").content.decode()
    assert 'name="image_2"' in html and 'name="image_3"' not in html


def test_the_storage_quota_and_upload_rate_are_enforced(settings, signed_in, user, committed):
    settings.MEDIA_QUOTA_BYTES = 100
    response = post_with(signed_in, image_1=upload(), alt_text_1="x")
    assert "storage quota" in response.content.decode()
    settings.MEDIA_QUOTA_BYTES = 10**9
    settings.MEDIA_UPLOADS_PER_HOUR = 1
    with committed():
        post_with(signed_in, image_1=upload(), alt_text_1="x")
    response = post_with(signed_in, image_1=upload(), alt_text_1="x")
    assert "uploaded too many images" in response.content.decode()
    assert Post.objects.count() == 1


def test_deleting_a_post_deletes_its_files(signed_in, user, committed, _media_in_tmp):
    with committed():
        post_with(signed_in, image_1=upload(), alt_text_1="x", image_2=upload(), alt_text_2="y")
    assert len(stored_files(_media_in_tmp)) == 4  # two images, two thumbnails
    with committed():
        delete_post(Post.objects.get())
    assert stored_files(_media_in_tmp) == []
    assert not Media.objects.exists()


def test_removing_one_image_keeps_the_others(signed_in, user, committed, _media_in_tmp):
    with committed():
        post_with(signed_in, image_1=upload(), alt_text_1="x", image_2=upload(), alt_text_2="y")
    first, second = Media.objects.all()
    with committed():
        remove_media(media=first)
    assert set(stored_files(_media_in_tmp)) == set(second.file_names)


def test_clean_orphan_media_removes_files_no_row_names(user, committed, _media_in_tmp, capsys):
    from microblog import images

    with committed():
        kept = images.open_checked(upload())
        post = Post.objects.create(author=user, body="x")
        from posts.media import add_images

        add_images(post=post, images_with_alt=[(kept, "kept")])
    orphan = default_storage.save("media/1/lost.png", upload())
    avatar_orphan = default_storage.save("avatars/1/lost.png", upload())
    call_command("clean_orphan_media", "--min-age", "0")
    remaining = stored_files(_media_in_tmp)
    assert orphan not in remaining and avatar_orphan not in remaining
    assert set(remaining) == set(Media.objects.get().file_names)
    assert "2 orphaned files removed" in capsys.readouterr().out


@pytest.mark.parametrize("path", ["/", "/explore", "/user/user0"])
def test_pages_with_images_keep_a_constant_number_of_queries(
    path, signed_in, user, make_user, settings, committed, django_assert_max_num_queries
):
    settings.POSTS_PER_PAGE = 10
    from microblog import images
    from posts.media import add_images

    for number in range(3):
        other = make_user(f"user{number}")
        Follow.objects.create(follower=user, followed=other)
        for index in range(5):
            post = Post.objects.create(author=other, body=f"post {index}")
            with committed():
                add_images(
                    post=post,
                    images_with_alt=[(images.open_checked(upload()), f"alt {index}")] * 2,
                )
    signed_in.get(path)
    with django_assert_max_num_queries(7):
        response = signed_in.get(path)
    assert response.content.decode().count('alt="alt ') >= 10


def animated_gif():
    import io

    frames = [Image.new("RGB", (40, 30), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "stored_format", "frames"),
    [
        ("a.jpg", lambda: upload(image_format="JPEG").read(), "JPEG", 1),
        ("a.png", lambda: upload().read(), "PNG", 1),
        ("a.webp", lambda: upload(image_format="WEBP").read(), "WEBP", 1),
        ("a.gif", animated_gif, "GIF", 3),
    ],
)
def test_each_accepted_format_is_kept_in_its_format(
    name, data, stored_format, frames, signed_in, user, committed
):
    with committed():
        response = post_with(signed_in, image_1=upload(name, data=data()), alt_text_1="x")
    assert response.status_code == 302
    media = Media.objects.get()
    with default_storage.open(media.file.name) as file, Image.open(file) as image:
        assert image.format == stored_format
        assert getattr(image, "n_frames", 1) == frames
    assert media.thumbnail
