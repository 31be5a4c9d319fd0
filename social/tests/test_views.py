import re

import pytest
from django.test import Client

from social.models import Follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def john(make_user):
    return make_user("john", about_me="I <em>code</em>")


def test_follow_and_unfollow_from_a_profile(signed_in, user, john):
    response = signed_in.post("/follow/john", {"next": "/user/john"}, follow=True)
    assert response.redirect_chain == [("/user/john", 302)]
    body = response.content.decode()
    assert "You are following john!" in body
    assert "1 follower" in body
    assert "Unfollow" in body
    assert Follow.objects.filter(follower=user, followed=john).exists()

    response = signed_in.post("/unfollow/john", follow=True)
    assert "You are not following john." in response.content.decode()
    assert not Follow.objects.exists()


def test_following_twice_is_harmless(signed_in, user, john):
    signed_in.post("/follow/john")
    response = signed_in.post("/follow/john")
    assert response.status_code == 302
    assert Follow.objects.count() == 1


def test_unfollowing_someone_not_followed_is_harmless(signed_in, john):
    assert signed_in.post("/unfollow/john").status_code == 302


def test_following_yourself_is_refused_with_a_message(signed_in, user):
    response = signed_in.post("/follow/susan", follow=True)
    assert "You cannot follow yourself!" in response.content.decode()
    assert not Follow.objects.exists()


def test_follow_is_post_only_and_csrf_protected(user, john):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/follow/john").status_code == 405
    assert client.post("/follow/john").status_code == 403
    Follow.objects.create(follower=user, followed=john)
    assert client.post("/unfollow/john").status_code == 403
    assert Follow.objects.count() == 1


def test_follow_refuses_an_offsite_next(signed_in, john):
    response = signed_in.post("/follow/john", {"next": "https://evil.example.com/"})
    assert response.url == "/user/john"


@pytest.mark.parametrize("path", ["/follow/nobody", "/unfollow/nobody"])
def test_following_an_unknown_user_is_a_404(signed_in, path):
    assert signed_in.post(path).status_code == 404


def test_anonymous_follow_goes_to_login(client, john):
    response = client.post("/follow/john")
    assert response.status_code == 302
    assert response.url.startswith("/auth/login")


def test_followers_and_following_lists(signed_in, user, john, make_user):
    mary = make_user("mary")
    Follow.objects.create(follower=user, followed=john)
    Follow.objects.create(follower=mary, followed=john)
    followers = signed_in.get("/user/john/followers").content.decode()
    assert "Followers of john" in followers
    assert ">susan<" in followers and ">mary<" in followers
    following = signed_in.get("/user/susan/following").content.decode()
    assert "susan is following" in following and ">john<" in following
    assert ">mary<" not in following


def test_follow_lists_paginate(signed_in, user, make_user, settings, django_assert_max_num_queries):
    settings.POSTS_PER_PAGE = 5
    for i in range(7):
        Follow.objects.create(follower=make_user(f"fan{i}"), followed=user)
    first = signed_in.get("/user/susan/followers").content.decode()
    fans = re.compile(r">(fan\d)</a>")
    assert fans.findall(first) == ["fan6", "fan5", "fan4", "fan3", "fan2"]  # newest first
    assert 'href="?page=2" rel="next"' in first
    with django_assert_max_num_queries(6):
        second = signed_in.get("/user/susan/followers", {"page": 2}).content.decode()
    assert fans.findall(second) == ["fan1", "fan0"]


def test_popup_shows_the_user_card(signed_in, user, john):
    Follow.objects.create(follower=john, followed=user)
    response = signed_in.get("/user/john/popup")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "s=64" in body
    assert "I &lt;em&gt;code&lt;/em&gt;" in body
    assert "<time datetime=" in body
    assert "0 followers, 1 following" in body
    assert 'action="/follow/john"' in body


def test_popup_of_a_followed_user_offers_unfollow(signed_in, user, john):
    Follow.objects.create(follower=user, followed=john)
    body = signed_in.get("/user/john/popup").content.decode()
    assert 'action="/unfollow/john"' in body


def test_own_popup_has_no_follow_button(signed_in):
    body = signed_in.get("/user/susan/popup").content.decode()
    assert "/follow/" not in body and "/unfollow/" not in body


def test_popup_of_an_unknown_user_is_a_404(signed_in):
    assert signed_in.get("/user/nobody/popup").status_code == 404


def test_deactivated_user_is_gone_everywhere(signed_in, john):
    john.is_active = False
    john.save()
    for path in ("/user/john", "/user/john/popup", "/user/john/followers"):
        assert signed_in.get(path).status_code == 404
    assert signed_in.post("/follow/john").status_code == 404


def test_profile_and_popup_counts_leave_out_deactivated_people(signed_in, user, john, make_user):
    gone = make_user("gone")
    for other in (user, gone):
        Follow.objects.create(follower=other, followed=john)
    Follow.objects.create(follower=john, followed=gone)
    gone.is_active = False
    gone.save()
    assert "1 follower, 0 following" in signed_in.get("/user/john/popup").content.decode()
    profile = signed_in.get("/user/john").content.decode()
    assert "1 follower</a>" in profile and "0 following</a>" in profile
    assert 'action="/unfollow/john"' in profile
