"""Representations: the tutorial's user resource (chapter 23), and posts beyond it."""

from functools import lru_cache

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from posts.media import attach_media, check_count, upload_media
from posts.models import MAX_ALT_TEXT_LENGTH, Media, Post
from posts.services import create_post

AVATAR_SIZE = 128

_PK_STAND_IN = 918273645546372819  # reversed once to find where the key goes in an address


@lru_cache(maxsize=64)
def _url_around_pk(name, script_prefix, urlconf):
    """(before, after): what reverse(name, args=[pk]) puts around the key, for any pk."""
    url = reverse(name, args=[_PK_STAND_IN], urlconf=urlconf)
    before, stand_in, after = url.partition(str(_PK_STAND_IN))
    if not stand_in or str(_PK_STAND_IN) in after:
        raise ValueError(f"{name} does not put its key in the address once: {url}")
    return before, after


def api_url(name, pk):
    """reverse(name, args=[pk]) for the API's `<int:pk>` addresses, without resolving each time.

    A page of users or posts reverses three or four addresses per item; the address around the
    key is worked out once per name (and script prefix), then only the key changes.
    """
    before, after = _url_around_pk(name, get_script_prefix(), get_urlconf())
    return f"{before}{int(pk)}{after}"


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
            "self": api_url("api:user", user.pk),
            "followers": api_url("api:followers", user.pk),
            "followed": api_url("api:followed", user.pk),
            "posts": api_url("api:user-posts", user.pk),
            "avatar": user.avatar(AVATAR_SIZE),
        }


@extend_schema_field(_links_schema("self", "avatar"))
class AuthorLinksField(UserLinksField):
    def to_representation(self, user):
        return {"self": api_url("api:user", user.pk), "avatar": user.avatar(AVATAR_SIZE)}


@extend_schema_field(_links_schema("self", "author"))
class PostLinksField(UserLinksField):
    def to_representation(self, post):
        return {
            "self": api_url("api:post", post.pk),
            "author": api_url("api:user", post.author_id),
        }


# Read-only conversions as DRF's fields make them (an unbound field needs no parent for this).
_DATETIME = serializers.DateTimeField()
_USER_LINKS = UserLinksField()


def _int_or_none(value):
    return None if value is None else int(value)


def _str_or_none(value):
    return None if value is None else str(value)


def _datetime_or_none(value):
    return None if value is None else _DATETIME.to_representation(value)


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
        data = self._representation(instance)
        request = self.context.get("request")
        if request is None or request.user.pk != instance.pk:
            data.pop("email", None)
        return data

    def _representation(self, user):
        """What DRF's field-by-field to_representation gives for Meta.fields, written out.

        Building a ModelSerializer's fields (model introspection) and walking them costs more
        than the rest of a GET /api/users/<id>; the values are plain, so they are written
        directly, with DRF's own DateTimeField for `last_seen`. A test compares this with
        DRF's generic representation, field by field.
        """
        return {
            "id": _int_or_none(user.pk),
            "username": _str_or_none(user.username),
            "email": _str_or_none(user.email),
            "last_seen": _datetime_or_none(user.last_seen),
            "about_me": _str_or_none(user.about_me),
            "post_count": _int_or_none(user.post_count),
            "follower_count": _int_or_none(user.follower_count),
            "followed_count": _int_or_none(user.followed_count),
            "_links": _USER_LINKS.to_representation(user),
        }

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

    def to_representation(self, user):
        """DRF's field-by-field result, written out (see UserSerializer._representation)."""
        return {
            "id": _int_or_none(user.pk),
            "username": _str_or_none(user.username),
            "_links": _AUTHOR_LINKS.to_representation(user),
        }


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


class MediaUploadSerializer(serializers.Serializer):
    """POST /api/media: an image (checked by its content) and its alt text."""

    file = serializers.FileField(write_only=True, allow_empty_file=True)
    alt_text = serializers.CharField(max_length=MAX_ALT_TEXT_LENGTH, trim_whitespace=True)

    def create(self, validated_data):
        try:
            return upload_media(
                owner=self.context["request"].user,
                upload=validated_data["file"],
                alt_text=validated_data["alt_text"],
            )
        except DjangoValidationError as error:
            raise _django_errors(error) from error

    def to_representation(self, media):
        return MediaSerializer(media, context=self.context).data


class PostSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    media = MediaSerializer(many=True, read_only=True)
    media_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), write_only=True, required=False
    )
    _links = PostLinksField()

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

    def to_representation(self, post):
        """DRF's field-by-field result, written out (see UserSerializer._representation)."""
        author = post.author
        return {
            "id": _int_or_none(post.pk),
            "body": _str_or_none(post.body),
            "timestamp": _datetime_or_none(post.timestamp),
            "language": _str_or_none(post.language),
            "author": None if author is None else _AUTHOR.to_representation(author),
            "media": MediaSerializer(post.media.all(), many=True, context=self.context).data,
            "_links": _POST_LINKS.to_representation(post),
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


_AUTHOR = AuthorSerializer()
_AUTHOR_LINKS = AuthorLinksField()
_POST_LINKS = PostLinksField()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
