"""What a moderator's "deactivate" means across the site: the user cannot sign in, their
session ends, their posts leave every timeline, their profile pages are gone, and they leave
the follow lists and counts of everyone else. (Tokens are the API's, tested there.)"""

import pytest
from django.db.models.signals import post_save

from posts.models import Post
from social.models import Follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(make_user):
    """susan follows john; both post; john is then deactivated."""
    susan, john, david = make_user("susan"), make_user("john"), make_user("david")
    Follow.objects.create(follower=susan, followed=john)
    Follow.objects.create(follower=john, followed=david)
    Follow.objects.create(follower=susan, followed=david)
    Post.objects.create(author=susan, body="susan says hello")
    Post.objects.create(author=john, body="john was here")
    Post.objects.create(author=david, body="david writes")
    john.is_active = False
    john.save()
    return susan, john, david


def test_a_deactivated_user_cannot_sign_in(client, community):
    response = client.post("/auth/login", {"username": "john", "password": "correct-horse-battery"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_users_open_session_ends(client, make_user):
    john = make_user("john")
    client.force_login(john)
    assert client.get("/explore").status_code == 200
    john.is_active = False
    john.save()
    response = client.get("/explore")
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login")


def test_their_posts_leave_the_home_timeline_of_followers(client, community):
    susan, _john, _david = community
    client.force_login(susan)
    body = client.get("/").content.decode()
    assert "susan says hello" in body and "david writes" in body
    assert "john was here" not in body


def test_their_posts_leave_explore(client, community):
    client.force_login(community[0])
    body = client.get("/explore").content.decode()
    assert "susan says hello" in body
    assert "john was here" not in body


def test_the_querysets_that_feed_every_list_leave_them_out(community):
    susan, john, _david = community
    assert not Post.objects.explore().filter(author=john).exists()
    assert not Post.objects.timeline_for(susan).filter(author=john).exists()
    assert not Post.objects.visible().filter(author=john).exists()
    assert Post.objects.filter(author=john).exists()  # kept, for reactivation


@pytest.mark.parametrize(
    "path",
    ["/user/john", "/user/john/followers", "/user/john/following", "/user/john/popup"],
)
def test_their_profile_pages_are_gone(client, community, path):
    client.force_login(community[0])
    assert client.get(path).status_code == 404


def test_they_cannot_be_followed(client, community):
    susan, john, david = community
    client.force_login(david)
    assert client.post("/follow/john").status_code == 404
    assert not Follow.objects.filter(follower=david, followed=john).exists()


def test_they_leave_other_peoples_follow_lists_and_counts(client, community):
    susan, _john, david = community
    client.force_login(susan)
    followers = client.get("/user/david/followers").content.decode()
    assert "/user/susan" in followers
    assert "/user/john" not in followers
    profile = client.get("/user/david")
    assert profile.context["follower_count"] == 1  # susan; john is gone
    following = client.get("/user/susan/following").content.decode()
    assert "/user/david" in following and "/user/john" not in following
    assert client.get("/user/susan").context["following_count"] == 1
    assert client.get("/user/david/popup").context["follower_count"] == 1


def test_reactivation_brings_everything_back(client, community):
    susan, john, _david = community
    john.is_active = True
    john.save()
    client.force_login(susan)
    assert "john was here" in client.get("/").content.decode()
    assert client.get("/user/john").status_code == 200
    assert client.get("/user/susan").context["following_count"] == 2


@pytest.fixture
def activity_saves(django_user_model):
    """(username, is_active) of every User save that sent post_save: what search listens to."""
    saved = []

    def record(sender, instance, **kwargs):
        saved.append((instance.username, instance.is_active))

    post_save.connect(record, sender=django_user_model)
    yield saved
    post_save.disconnect(record, sender=django_user_model)


def test_deactivating_in_the_admin_takes_their_posts_out_of_search(
    admin_client, client, write, committed, make_user, activity_saves
):
    spammer, reader = make_user("spammer"), make_user("reader")
    write("cheap watches here", author=spammer)
    write("my watches are not cheap", author=reader)
    client.force_login(reader)
    assert "cheap watches here" in client.get("/search", {"q": "watches"}).content.decode()
    action = {"action": "deactivate_users", "_selected_action": [spammer.pk]}
    admin_client.get("/admin/")  # the admin's own sign-in save happens before the count
    activity_saves.clear()
    with committed():
        admin_client.post("/admin/accounts/user/", action)
    assert activity_saves == [("spammer", False)]
    found = client.get("/search", {"q": "watches"}).content.decode()
    assert "cheap watches here" not in found and "my watches are not cheap" in found
    with committed():
        admin_client.post("/admin/accounts/user/", {**action, "action": "activate_users"})
    assert activity_saves[-1] == ("spammer", True)
    assert "cheap watches here" in client.get("/search", {"q": "watches"}).content.decode()
