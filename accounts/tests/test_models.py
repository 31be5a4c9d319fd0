import hashlib
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_password_is_hashed_and_checked(make_user):
    user = make_user("susan", password="s3cret-words-here")
    assert user.password != "s3cret-words-here"
    assert user.check_password("s3cret-words-here")
    assert not user.check_password("wrong")


def test_avatar_is_gravatar_identicon_of_the_normalised_email(make_user):
    user = make_user("john", email=" John@Example.com ")
    digest = hashlib.md5(b"john@example.com").hexdigest()
    assert user.avatar(128) == f"https://www.gravatar.com/avatar/{digest}?d=identicon&s=128"
    assert user.avatar(36).endswith("s=36")


def test_username_is_unique_case_insensitively(make_user):
    make_user("susan")
    with pytest.raises(IntegrityError):
        make_user("SUSAN", email="other@example.com")


def test_email_is_unique_case_insensitively(make_user):
    make_user("susan", email="susan@example.com")
    with pytest.raises(IntegrityError):
        make_user("john", email="Susan@Example.COM")


def test_sign_in_lookup_ignores_case(make_user):
    user = make_user("Susan")
    assert User.objects.get_by_natural_key("susan") == user


def test_last_seen_is_written_at_most_once_a_minute(make_user, django_assert_num_queries):
    user = make_user("susan")
    start = timezone.now()
    user.last_seen = start - timedelta(minutes=5)
    with django_assert_num_queries(1):
        assert user.touch_last_seen(start)
    with django_assert_num_queries(0):
        assert not user.touch_last_seen(start + timedelta(seconds=59))
    with django_assert_num_queries(1):
        assert user.touch_last_seen(start + timedelta(seconds=61))
    user.refresh_from_db()
    assert user.last_seen == start + timedelta(seconds=61)
