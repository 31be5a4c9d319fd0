from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from messaging.models import Message
from microblog.demo import DEMO_PASSWORD, DEMO_POSTS
from posts.models import Post
from posts.search.query import indexed_count, search_posts
from posts.search.sync import rebuild_index
from social.models import Follow

pytestmark = pytest.mark.django_db

SMALL = {"users": 20, "posts": 300, "follows": 4, "messages": 10}


def snapshot():
    """Everything generated, by names and offsets rather than ids or absolute times."""
    start = User.objects.order_by("date_joined").values_list("date_joined", flat=True).first()
    users = list(User.objects.order_by("username").values_list("username", "about_me"))
    posts = sorted(
        (username, body, language, round((timestamp - start) / timedelta(seconds=1)))
        for username, body, language, timestamp in Post.objects.values_list(
            "author__username", "body", "language", "timestamp"
        )
    )
    follows = sorted(Follow.objects.values_list("follower__username", "followed__username"))
    messages = sorted(
        (a, b, body, round((timestamp - start) / timedelta(seconds=1)))
        for a, b, body, timestamp in Message.objects.values_list(
            "sender__username", "recipient__username", "body", "timestamp"
        )
    )
    return users, posts, follows, messages


def generate(seed):
    call_command("seed_demo", seed=seed, stdout=StringIO(), **SMALL)
    data = snapshot()
    User.objects.all().delete()
    return data


def test_the_same_seed_generates_the_same_community():
    first = generate(seed=7)
    assert [len(part) for part in first] == [20, 300, 80, 10]
    assert generate(seed=7) == first
    assert generate(seed=8) != first


def test_generated_timelines_have_posts_from_followed_users():
    call_command("seed_demo", seed=1, stdout=StringIO(), **SMALL)
    user = User.objects.order_by("username").first()
    followed = set(Follow.objects.filter(follower=user).values_list("followed", flat=True))
    authors = set(Post.objects.timeline_for(user).values_list("author", flat=True))
    assert authors and authors <= followed | {user.pk}


def test_negative_sizes_are_refused():
    with pytest.raises(CommandError, match="--posts"):
        call_command("seed_demo", posts=-1)


def test_the_generated_posts_are_searchable_once_built_in_one_pass(search_index):
    call_command("seed_demo", seed=1, stdout=StringIO(), **SMALL)
    assert indexed_count() == Post.objects.count() == 300
    Post.objects.filter(pk__in=list(Post.objects.values_list("pk", flat=True)[:50])).delete()
    assert rebuild_index() == 250
    assert indexed_count() == 250  # the old entries were replaced, not added to
    post = Post.objects.order_by("pk").first()
    word = max(post.body.split(), key=len).strip(".,;:!?¡¿")  # the longest: never a stop word
    assert post in search_posts(word, per_page=300).object_list


def test_the_demo_community_has_pictures_and_avatars(django_capture_on_commit_callbacks):
    from posts.models import Media

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    media = list(Media.objects.select_related("post"))
    assert len(media) == 3
    assert all(item.alt_text and item.post_id and item.thumbnail for item in media)
    assert sorted(User.objects.exclude(avatar_sizes={}).values_list("username", flat=True)) == [
        "ana",
        "maria",
    ]


def test_the_small_community_is_made_through_the_sites_services(client):
    call_command("seed_demo", stdout=StringIO())
    susan = User.objects.get(username="susan")
    assert susan.check_password(DEMO_PASSWORD)
    languages = dict(Post.objects.values_list("body", "language"))
    assert {languages[body] for name, body in DEMO_POSTS if name == "maria"} == {"es"}
    assert {languages[body] for name, body in DEMO_POSTS if name == "susan"} == {"en"}
    client.force_login(susan)
    home = client.get("/").content.decode()
    assert "Hoy he visto el atardecer" in home  # susan follows maria
    poll = client.get("/notifications", {"since": 0}).json()
    assert {"name": "unread_message_count", "data": 2} in [
        {"name": item["name"], "data": item["data"]} for item in poll
    ]
    call_command("seed_demo", stdout=StringIO())  # a second run changes nothing
    assert Post.objects.count() == len(DEMO_POSTS)


def test_generated_messages_light_their_recipients_unread_badges(client):
    call_command("seed_demo", seed=1, stdout=StringIO(), **SMALL)
    recipient = Message.objects.order_by("pk").first().recipient
    unread = Message.objects.filter(recipient=recipient).count()
    client.force_login(recipient)
    poll = client.get("/notifications", {"since": 0}).json()
    assert {"name": "unread_message_count", "data": unread} in [
        {"name": item["name"], "data": item["data"]} for item in poll
    ]
