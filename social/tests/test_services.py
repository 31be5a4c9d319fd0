import pytest
from django.db import IntegrityError

from social import services
from social.models import Follow

pytestmark = pytest.mark.django_db


def test_follow_rules(make_user):
    susan, john = make_user("susan"), make_user("john")
    assert services.follow(susan, john) is True
    assert services.follow(susan, john) is False
    assert Follow.objects.filter(follower=susan, followed=john).exists()
    assert not Follow.objects.filter(follower=john, followed=susan).exists()
    with pytest.raises(services.FollowError):
        services.follow(susan, susan)
    assert services.unfollow(susan, john) is True
    assert services.unfollow(susan, john) is False


def test_database_refuses_duplicate_and_self_follows(make_user):
    susan, john = make_user("susan"), make_user("john")
    Follow.objects.create(follower=susan, followed=john)
    with pytest.raises(IntegrityError):
        Follow.objects.create(follower=susan, followed=john)


def test_database_refuses_a_self_follow(make_user):
    susan = make_user("susan")
    with pytest.raises(IntegrityError):
        Follow.objects.create(follower=susan, followed=susan)
