"""Moderating posts in the Django admin: list, search, filter, bulk deletion.
(`admin_client` is pytest-django's client signed in as a superuser.)"""

import pytest
from django.db.models.signals import post_delete

from posts.models import Post

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/posts/post/"


def act(admin_client, action, posts, **extra):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [post.pk for post in posts], **extra},
    )


@pytest.fixture
def posts(make_user):
    susan, john = make_user("susan"), make_user("john")
    return [
        Post.objects.create(author=susan, body="Tea in the garden", language="en"),
        Post.objects.create(author=john, body="Café con leche", language="es"),
        Post.objects.create(author=john, body="Rainy Monday", language="en"),
    ]


@pytest.fixture
def deletions():
    """Every Post deletion that sent its signal: what the search index listens to."""
    deleted = []

    def record(sender, instance, **kwargs):
        deleted.append(instance.pk)

    post_delete.connect(record, sender=Post)
    yield deleted
    post_delete.disconnect(record, sender=Post)


def test_changelist_shows_author_body_language_and_time(admin_client, posts):
    body = admin_client.get(CHANGELIST).content.decode()
    assert "Tea in the garden" in body and "Café con leche" in body
    assert '<td class="field-author nowrap">susan</td>' in body
    assert '<td class="field-language">es</td>' in body
    assert "Language" in body and "Timestamp" in body


def test_changelist_costs_a_constant_number_of_queries(
    admin_client, make_user, django_assert_max_num_queries
):
    authors = [make_user(f"author{number}") for number in range(10)]
    Post.objects.bulk_create(
        Post(author=authors[number % 10], body=f"post {number}") for number in range(60)
    )
    with django_assert_max_num_queries(10):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_search_by_body_or_author(admin_client, posts):
    found = admin_client.get(CHANGELIST, {"q": "garden"}).content.decode()
    assert "Tea in the garden" in found and "Rainy Monday" not in found
    found = admin_client.get(CHANGELIST, {"q": "john"}).content.decode()
    assert "Rainy Monday" in found and "Tea in the garden" not in found


def test_filter_by_language(admin_client, posts):
    found = admin_client.get(CHANGELIST, {"language": "es"}).content.decode()
    assert "Café con leche" in found and "Rainy Monday" not in found


def test_filter_posts_hidden_by_a_deactivated_author(admin_client, posts):
    john = posts[1].author
    john.is_active = False
    john.save()
    found = admin_client.get(CHANGELIST, {"author__is_active__exact": "0"}).content.decode()
    assert "Café con leche" in found and "Rainy Monday" in found
    assert "Tea in the garden" not in found
    assert "By author active" in found


def test_delete_selected_asks_first_and_signals_each_deletion(admin_client, posts, deletions):
    confirm = act(admin_client, "delete_selected", posts[:1])
    assert "<title>Delete multiple objects" in confirm.content.decode()
    assert Post.objects.count() == 3
    act(admin_client, "delete_selected", posts[:1], post="yes")
    assert Post.objects.count() == 2
    assert deletions == [posts[0].pk]


def test_staff_without_the_delete_permission_cannot_delete(client, make_user, posts):
    from django.contrib.auth.models import Permission

    staff = make_user("helper", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 200
    act(client, "delete_selected", posts, post="yes")
    assert Post.objects.count() == 3
