"""The serializers' hand-written read paths give exactly what DRF's generic ones would."""

import pytest
from accounts.querysets import users_with_counts
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone
from rest_framework import serializers

from api.serializers import (
    AuthorSerializer,
    PostSerializer,
    RegistrationSerializer,
    UserSerializer,
    api_url,
)
from posts.models import Post
from posts.services import create_post
from social.services import follow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("serializer_class", [UserSerializer, RegistrationSerializer])
@pytest.mark.parametrize("zone", ["UTC", "Europe/Madrid"])
def test_user_representation_is_drfs_field_by_field(make_user, serializer_class, zone):
    susan = make_user("susan", about_me="<b>Hi</b> & welcome")
    john = make_user("john", about_me="")
    follow(susan, john)
    serializer = serializer_class()
    readable = [name for name, field in serializer.fields.items() if not field.write_only]
    with timezone.override(zone):
        for user in users_with_counts():
            fast = serializer._representation(user)
            generic = serializers.ModelSerializer.to_representation(serializer, user)
            assert fast == generic
            assert list(fast) == readable  # same fields, same order


@pytest.mark.parametrize("zone", ["UTC", "Europe/Madrid"])
def test_post_representation_is_drfs_field_by_field(make_user, zone):
    susan = make_user("susan")
    create_post(susan, "<i>first</i> & more")
    create_post(susan, "Hola, ¿qué tal? Esto está escrito en español, claramente.")
    Post.objects.create(author=susan, body="?", language="")  # language unknown
    serializer, author_serializer = PostSerializer(), AuthorSerializer()
    readable = [name for name, field in serializer.fields.items() if not field.write_only]
    with timezone.override(zone):
        for post in Post.objects.explore():
            fast = serializer.to_representation(post)
            generic = serializers.ModelSerializer.to_representation(serializer, post)
            assert fast == generic
            assert list(fast) == readable
            assert fast["author"] == serializers.ModelSerializer.to_representation(
                author_serializer, post.author
            )
            assert list(fast["author"]) == list(author_serializer.fields)


def test_user_representation_hides_email_from_others(make_user):
    susan, john = make_user("susan"), make_user("john")
    susan_row = users_with_counts().get(pk=susan.pk)

    class Request:
        user = john

    assert "email" not in UserSerializer(susan_row, context={"request": Request}).data
    Request.user = susan
    assert UserSerializer(susan_row, context={"request": Request}).data["email"] == (
        "susan@example.com"
    )
    assert "email" not in UserSerializer(susan_row).data


@pytest.mark.parametrize("prefix", ["/", "/microblog/"])
@pytest.mark.parametrize(
    "name", ["api:user", "api:followers", "api:followed", "api:user-posts", "api:post"]
)
def test_api_url_is_reverse(name, prefix):
    set_script_prefix(prefix)
    try:
        for pk in (1, 7, 42, 918273645546372819, 10**20):
            assert api_url(name, pk) == reverse(name, args=[pk])
    finally:
        clear_script_prefix()
