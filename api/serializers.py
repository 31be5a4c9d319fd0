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
from posts.media import attach_media, check_count, upload_media
from posts.models import MAX_ALT_TEXT_LENGTH, Media, Post
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


def _django_errors(error):
    """A Django ValidationError (from a service) as DRF's, so that it is a 400."""
    return serializers.ValidationError(list(error.messages))


class MediaSerializer(serializers.ModelSerializer):
    """A post image: `preview_url` (the thumbnail) is null until the job has made it."""

    url = serializers.FileField(source="file", read_only=True, use_url=True)
    preview_url = serializers.FileField(source="thumbnail", read_only=True, allow_null=True)

    class Meta:
        model = Media
        fields = ["id", "url", "preview_url", "width", "height", "alt_text"]


class MediaUploadSerializer(MediaSerializer):
    """POST /api/media: an image (checked by its content) and its alt text; answers the media."""

    file = serializers.FileField(write_only=True, allow_empty_file=True)
    alt_text = serializers.CharField(max_length=MAX_ALT_TEXT_LENGTH, trim_whitespace=True)

    class Meta(MediaSerializer.Meta):
        fields = [*MediaSerializer.Meta.fields, "file"]
        read_only_fields = ["width", "height"]

    def create(self, validated_data):
        try:
            return upload_media(
                owner=self.context["request"].user,
                upload=validated_data["file"],
                alt_text=validated_data["alt_text"],
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from error


class PostSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    media = MediaSerializer(many=True, read_only=True)
    media_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), write_only=True, required=False
    )
    _links = serializers.SerializerMethodField(method_name="get_links")

    class Meta:
        model = Post
        fields = ["id", "body", "timestamp", "language", "author", "media", "media_ids", "_links"]
        read_only_fields = ["id", "timestamp", "language"]

    def validate_media_ids(self, media_ids):
        try:
            check_count(len(set(media_ids)))
        except DjangoValidationError as error:
            raise _django_errors(error) from error
        usable = Media.objects.unattached_of(self.context["request"].user).filter(pk__in=media_ids)
        if usable.count() != len(set(media_ids)):
            raise serializers.ValidationError(
                _("Unknown media id: each must be one of your own uploads, not yet used.")
            )
        return media_ids

    @extend_schema_field(_links_schema("self", "author"))
    def get_links(self, post):
        return {
            "self": reverse("api:post", args=[post.pk]),
            "author": reverse("api:user", args=[post.author_id]),
        }

    def create(self, validated_data):
        media_ids = validated_data.get("media_ids")
        try:
            with transaction.atomic():  # a refused attachment leaves no post behind
                post = create_post(self.context["request"].user, validated_data["body"])
                if media_ids:
                    attach_media(post=post, media_ids=media_ids)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"media_ids": list(error.messages)}) from error
        return post


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
