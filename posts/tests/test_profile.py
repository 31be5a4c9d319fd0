"""A user's page: who they are, their follow counts and their posts."""

import pytest

pytestmark = pytest.mark.django_db


def test_profile_shows_avatar_about_me_and_last_seen(signed_in, make_user):
    make_user("john", about_me="I <b>write</b> code")
    response = signed_in.get("/user/john")
    body = response.content.decode()
    assert response.status_code == 200
    assert "User: john" in body
    assert "s=128" in body and "identicon" in body
    assert "I &lt;b&gt;write&lt;/b&gt; code" in body
    assert "<time datetime=" in body
    assert "0 followers" in body


def test_own_profile_links_to_edit(signed_in):
    assert "Edit your profile" in signed_in.get("/user/susan").content.decode()


def test_unknown_profile_is_a_404_page(signed_in):
    response = signed_in.get("/user/nobody")
    assert response.status_code == 404
    assert "Not Found" in response.content.decode()
