"""Follows in the Django admin: list, search, bulk deletion.
(`admin_client` is pytest-django's client signed in as a superuser.)"""

import pytest

from social.models import Follow

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/social/follow/"


@pytest.fixture
def follows(make_user):
    susan, john, david = make_user("susan"), make_user("john"), make_user("david")
    return [
        Follow.objects.create(follower=susan, followed=john),
        Follow.objects.create(follower=john, followed=david),
    ]


def test_changelist_shows_who_follows_whom(admin_client, follows):
    body = admin_client.get(CHANGELIST).content.decode()
    assert "Select this object for an action - susan → john" in body
    assert '<td class="field-followed nowrap">david</td>' in body
    assert "Follower" in body and "Followed" in body and "Created" in body


def test_changelist_costs_a_constant_number_of_queries(
    admin_client, make_user, django_assert_max_num_queries
):
    users = [make_user(f"user{number}") for number in range(8)]
    Follow.objects.bulk_create(
        Follow(follower=a, followed=b) for a in users for b in users if a != b
    )
    with django_assert_max_num_queries(10):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_search_by_either_username(admin_client, follows):
    found = admin_client.get(CHANGELIST, {"q": "david"}).content.decode()
    assert "\n1 follow\n" in found
    assert f"/admin/social/follow/{follows[1].pk}/change/" in found
    assert f"/admin/social/follow/{follows[0].pk}/change/" not in found


def test_delete_selected_follows_after_confirmation(admin_client, follows):
    data = {"action": "delete_selected", "_selected_action": [follows[0].pk]}
    confirm = admin_client.post(CHANGELIST, data)
    assert "<title>Delete multiple objects" in confirm.content.decode()
    assert Follow.objects.count() == 2
    admin_client.post(CHANGELIST, {**data, "post": "yes"})
    assert list(Follow.objects.all()) == follows[1:]
