"""Representations: the tutorial's user resource (chapter 23), and posts beyond it."""

import copy

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from accounts.models import User
from accounts.services import register_user
from posts.models import Post
from posts.services import create_post

AVATAR_SIZE = 128


def _links_schema(*names):
    return {
        "type": "object",
        "properties": {name: {"type": "string"} for name in names},
        "required": list(names),
    }


class UserSerializer(serializers.ModelSerializer):
    """A user; `email` only in the user's own representation. Counts come annotated."""

    post_count = serializers.IntegerField(read_only=True)
    follower_count = serializers.IntegerField(read_only=True)
    followed_count = serializers.IntegerField(read_only=True)
    _links = serializers.SerializerMethodField(method_name="get_links")

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
        # Uniqueness (case-insensitive) is the model's constraint, checked in validate().
        extra_kwargs = {"username": {"validators": [UnicodeUsernameValidator()]}}

    @extend_schema_field(_links_schema("self", "followers", "followed", "posts", "avatar"))
    def get_links(self, user):
        return {
            "self": reverse("api:user", args=[user.pk]),
            "followers": reverse("api:followers", args=[user.pk]),
            "followed": reverse("api:followed", args=[user.pk]),
            "posts": reverse("api:user-posts", args=[user.pk]),
            "avatar": user.avatar(AVATAR_SIZE),
        }

    def to_representation(self, user):
        data = super().to_representation(user)
        request = self.context.get("request")
        if request is None or request.user.pk != user.pk:
            del data["email"]
        return data

    def validate(self, attrs):
        """The model's own constraints (username and email unique whatever their case)."""
        candidate = copy.copy(self.instance) if self.instance is not None else User()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        unchanged = {field.name for field in User._meta.concrete_fields} - attrs.keys()
        try:
            candidate.validate_constraints(exclude=unchanged)
        except DjangoValidationError as error:
            errors = error.message_dict
            if NON_FIELD_ERRORS in errors:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
            raise serializers.ValidationError(errors) from error
        return attrs

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
        password = attrs.pop("password")
        attrs = super().validate(attrs)
        candidate = User(username=attrs.get("username"), email=attrs.get("email"))
        try:
            password_validation.validate_password(password, user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return {**attrs, "password": password}

    def create(self, validated_data):
        return self._saving(lambda: register_user(**validated_data))


class AuthorSerializer(serializers.ModelSerializer):
    _links = serializers.SerializerMethodField(method_name="get_links")

    class Meta:
        model = User
        fields = ["id", "username", "_links"]

    @extend_schema_field(_links_schema("self", "avatar"))
    def get_links(self, user):
        return {"self": reverse("api:user", args=[user.pk]), "avatar": user.avatar(AVATAR_SIZE)}


class PostSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    _links = serializers.SerializerMethodField(method_name="get_links")

    class Meta:
        model = Post
        fields = ["id", "body", "timestamp", "language", "author", "_links"]
        read_only_fields = ["id", "timestamp", "language"]

    @extend_schema_field(_links_schema("self", "author"))
    def get_links(self, post):
        return {
            "self": reverse("api:post", args=[post.pk]),
            "author": reverse("api:user", args=[post.author_id]),
        }

    def create(self, validated_data):
        return create_post(self.context["request"].user, validated_data["body"])


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
