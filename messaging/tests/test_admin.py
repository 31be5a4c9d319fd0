import pytest

from messaging import services
from messaging.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["message", "notification", "task"])
def test_moderators_see_messages_notifications_and_tasks(admin_client, user, other, model):
    services.send_message(user, other, "hello john")
    Task.objects.create(id="t1", name="export_posts", description="Exporting posts…", user=user)
    response = admin_client.get(f"/admin/messaging/{model}/")
    assert response.status_code == 200
    assert admin_client.get(f"/admin/messaging/{model}/?q=susan").status_code == 200


def test_message_admin_lists_the_body(admin_client, user, other):
    services.send_message(user, other, "hello john")
    assert "hello john" in admin_client.get("/admin/messaging/message/").content.decode()


def test_ordinary_users_do_not_reach_the_admin(signed_in):
    response = signed_in.get("/admin/messaging/message/")
    assert response.status_code == 302 and "/admin/login" in response.url
