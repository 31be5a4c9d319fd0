"""Representations: the tutorial's user resource (chapter 23), and posts beyond it."""

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from posts.models import Post
from posts.services import create_post

AVATAR_SIZE = 128


def _links_schema(*names):
    return {
        "type": "object",
        "properties": {name: {"type": "string"} for name in names},
        "required": list(names),
    }


@extend_schema_field(_links_schema("self", "followers", "followed", "posts", "avatar"))
class UserLinksField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, user):
        return {
            "self": reverse("api:user", args=[user.pk]),
            "followers": reverse("api:followers", args=[user.pk]),
            "followed": reverse("api:followed", args=[user.pk]),
            "posts": reverse("api:user-posts", args=[user.pk]),
            "avatar": user.avatar(AVATAR_SIZE),
        }


@extend_schema_field(_links_schema("self", "avatar"))
class AuthorLinksField(UserLinksField):
    def to_representation(self, user):
        return {"self": reverse("api:user", args=[user.pk]), "avatar": user.avatar(AVATAR_SIZE)}


@extend_schema_field(_links_schema("self", "author"))
class PostLinksField(UserLinksField):
    def to_representation(self, post):
        return {
            "self": reverse("api:post", args=[post.pk]),
            "author": reverse("api:user", args=[post.author_id]),
        }


class UserSerializer(serializers.ModelSerializer):
    """A user; `email` only in the user's own representation. Counts come annotated."""

    post_count = serializers.IntegerField(read_only=True)
    follower_count = serializers.IntegerField(read_only=True)
    followed_count = serializers.IntegerField(read_only=True)
    _links = UserLinksField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "last_seen",
            "about_me",
            "post_count",
            "follower_count",
            "followed_count",
            "_links",
        ]
        read_only_fields = ["id", "last_seen"]
        # Uniqueness is case-insensitive: checked below rather than by DRF's exact match.
        extra_kwargs = {"username": {"validators": [UnicodeUsernameValidator()]}}

    def _others(self):
        users = User.objects.all()
        if self.instance is not None:
            users = users.exclude(pk=self.instance.pk)
        return users

    def validate_username(self, value):
        if self._others().filter(username__iexact=value).exists():
            raise serializers.ValidationError(_("Please use a different username."))
        return value

    def validate_email(self, value):
        if self._others().filter(email__iexact=value).exists():
            raise serializers.ValidationError(_("Please use a different email address."))
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or request.user.pk != instance.pk:
            data.pop("email", None)
        return data

    def _saving(self, save):
        """Run `save`; a username or email taken by a concurrent request is a 400, not a 500."""
        try:
            with transaction.atomic():
                return save()
        except IntegrityError as error:
            raise serializers.ValidationError(
                _("Please use a different username or email address.")
            ) from error

    def update(self, instance, validated_data):
        return self._saving(lambda: super(UserSerializer, self).update(instance, validated_data))


class RegistrationSerializer(UserSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password"]
        extra_kwargs = {
            **UserSerializer.Meta.extra_kwargs,
            "email": {"required": True, "allow_blank": False},
        }

    def validate(self, attrs):
        candidate = User(username=attrs.get("username"), email=attrs.get("email"))
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs

    def create(self, validated_data):
        return self._saving(lambda: User.objects.create_user(**validated_data))


class AuthorSerializer(serializers.ModelSerializer):
    _links = AuthorLinksField()

    class Meta:
        model = User
        fields = ["id", "username", "_links"]


class PostSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    _links = PostLinksField()

    class Meta:
        model = Post
        fields = ["id", "body", "timestamp", "language", "author", "_links"]
        read_only_fields = ["id", "timestamp", "language"]

    def create(self, validated_data):
        return create_post(self.context["request"].user, validated_data["body"])


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
