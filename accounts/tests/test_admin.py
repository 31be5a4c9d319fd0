"""Moderating users in the Django admin: list, search, filter, bulk (de)activation.
(`admin_client` is pytest-django's client signed in as a superuser.)"""

import pytest
from django.contrib.messages import get_messages

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


def act(admin_client, action, users, **extra):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [user.pk for user in users], **extra},
    )


def test_changelist_shows_users_with_their_state(admin_client, make_user):
    make_user("susan")
    make_user("john", is_active=False)
    response = admin_client.get(CHANGELIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "susan" in body and "john" in body
    assert "Last seen" in body and "Date joined" in body


def test_changelist_costs_a_constant_number_of_queries(
    admin_client, make_user, django_assert_max_num_queries
):
    for number in range(30):
        make_user(f"user{number}")
    with django_assert_max_num_queries(10):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_search_by_username_email_or_about_me(admin_client, make_user):
    make_user("susan", about_me="I like tea")
    make_user("john", email="johnny@example.org")
    found = admin_client.get(CHANGELIST, {"q": "johnny@"}).content.decode()
    assert 'href="/admin/accounts/user/' in found
    assert ">john<" in found and ">susan<" not in found
    found = admin_client.get(CHANGELIST, {"q": "tea"}).content.decode()
    assert ">susan<" in found and ">john<" not in found


def test_filter_by_active(admin_client, make_user):
    make_user("susan")
    make_user("john", is_active=False)
    found = admin_client.get(CHANGELIST, {"is_active__exact": "0"}).content.decode()
    assert ">john<" in found and ">susan<" not in found


def test_deactivate_in_bulk(admin_client, make_user):
    susan, john, david = make_user("susan"), make_user("john"), make_user("david")
    response = act(admin_client, "deactivate_users", [susan, john])
    assert response.status_code == 302
    for user in (susan, john, david):
        user.refresh_from_db()
    assert (susan.is_active, john.is_active, david.is_active) == (False, False, True)
    assert "2 users deactivated." in [str(m) for m in get_messages(response.wsgi_request)]


def test_a_moderator_cannot_deactivate_themselves(admin_client, admin_user, make_user):
    susan = make_user("susan")
    act(admin_client, "deactivate_users", [admin_user, susan])
    admin_user.refresh_from_db()
    susan.refresh_from_db()
    assert admin_user.is_active
    assert not susan.is_active


def test_activate_in_bulk(admin_client, make_user):
    susan = make_user("susan", is_active=False)
    response = act(admin_client, "activate_users", [susan])
    susan.refresh_from_db()
    assert susan.is_active
    assert "1 user activated." in [str(m) for m in get_messages(response.wsgi_request)]


def test_delete_in_bulk_after_confirmation(admin_client, make_user, django_user_model):
    susan = make_user("susan")
    confirm = act(admin_client, "delete_selected", [susan])
    assert confirm.status_code == 200
    assert "<title>Delete multiple objects" in confirm.content.decode()
    assert django_user_model.objects.filter(pk=susan.pk).exists()
    act(admin_client, "delete_selected", [susan], post="yes")
    assert not django_user_model.objects.filter(pk=susan.pk).exists()


def test_staff_without_permission_cannot_act(client, make_user):
    staff = make_user("helper", is_staff=True)
    susan = make_user("susan")
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403
    act(client, "deactivate_users", [susan])
    susan.refresh_from_db()
    assert susan.is_active


def test_the_admin_needs_a_staff_sign_in(client, user):
    assert client.get(CHANGELIST).status_code == 302
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 302
