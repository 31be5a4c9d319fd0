from datetime import timedelta

import pytest
from django.utils import timezone

from posts.models import Post
from social.models import Follow

pytestmark = pytest.mark.django_db


def post(author, body="hello", minutes_ago=0):
    return Post.objects.create(
        author=author, body=body, timestamp=timezone.now() - timedelta(minutes=minutes_ago)
    )


@pytest.fixture
def people(make_user):
    return {name: make_user(name) for name in ("susan", "john", "mary", "david")}


def test_timeline_has_own_and_followed_posts_newest_first(people):
    susan, john, mary, david = people.values()
    Follow.objects.create(follower=susan, followed=john)
    Follow.objects.create(follower=susan, followed=mary)
    p1 = post(john, "from john", minutes_ago=4)
    p2 = post(susan, "from susan", minutes_ago=3)
    p3 = post(mary, "from mary", minutes_ago=1)
    post(david, "from david", minutes_ago=2)
    assert list(Post.objects.timeline_for(susan)) == [p3, p2, p1]


def test_unfollowing_removes_posts_from_the_timeline(people):
    susan, john = people["susan"], people["john"]
    link = Follow.objects.create(follower=susan, followed=john)
    p = post(john)
    assert list(Post.objects.timeline_for(susan)) == [p]
    link.delete()
    assert list(Post.objects.timeline_for(susan)) == []


def test_following_is_one_way(people):
    susan, john = people["susan"], people["john"]
    Follow.objects.create(follower=susan, followed=john)
    post(susan)
    assert list(Post.objects.timeline_for(john)) == []


def test_equal_timestamps_have_a_stable_order(people):
    susan = people["susan"]
    now = timezone.now()
    posts = [Post.objects.create(author=susan, body=str(i), timestamp=now) for i in range(3)]
    assert list(Post.objects.timeline_for(susan)) == posts[::-1]


def test_deactivated_users_posts_leave_timeline_and_explore(people):
    susan, john = people["susan"], people["john"]
    Follow.objects.create(follower=susan, followed=john)
    post(john)
    john.is_active = False
    john.save()
    assert list(Post.objects.timeline_for(susan)) == []
    assert list(Post.objects.explore()) == []
