"""The API's views: thin glue between the apps' querysets/services and the serializers."""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, permissions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from posts.models import Post
from posts.querysets import users_with_counts
from posts.services import delete_post
from social.querysets import followed_by, followers_of

from .authentication import BasicCredentialsAuthentication, BearerTokenAuthentication
from .models import Token
from .permissions import IsAuthenticatedOrRegistering, IsAuthorOrReadOnly, IsSelfOrReadOnly
from .serializers import (
    MediaSerializer,
    MediaUploadSerializer,
    PostSerializer,
    RegistrationSerializer,
    TokenSerializer,
    UserSerializer,
)
from .throttling import CredentialsThrottle


class ApiRoot(APIView):
    """Where to go from here."""

    name = _("Microblog API")

    @extend_schema(summary="Links to the API's collections", responses={200: {"type": "object"}})
    def get(self, request):
        links = {
            name: request.build_absolute_uri(reverse(f"api:{name}"))
            for name in ("users", "posts", "timeline", "tokens", "schema", "docs")
        }
        return Response({"_links": links})


# Users ----------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List users"),
    post=extend_schema(summary="Register a new user (no token needed)"),
)
class UserList(generics.ListCreateAPIView):
    """GET: every user, by id. POST: register (`username`, `email`, `password`, `about_me`)."""

    name = _("Users")
    permission_classes = [IsAuthenticatedOrRegistering]

    def get_queryset(self):
        return users_with_counts().order_by("id")

    def get_serializer_class(self):
        return RegistrationSerializer if self.request.method == "POST" else UserSerializer

    @extend_schema(
        request=RegistrationSerializer,
        responses={201: UserSerializer},
        auth=[{}],  # no token
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = self.get_queryset().get(pk=serializer.save().pk)
        location = reverse("api:user", args=[user.pk])
        data = UserSerializer(user, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(
    get=extend_schema(summary="Get a user"),
    put=extend_schema(summary="Change your own account"),
)
class UserDetail(generics.RetrieveUpdateAPIView):
    """GET: a user. PUT: change your own `username`, `email` or `about_me` (any of them)."""

    name = _("User")
    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated, IsSelfOrReadOnly]
    http_method_names = ["get", "put", "head", "options"]

    def get_queryset(self):
        return users_with_counts()

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(self.get_serializer(self.get_object()).data)


class _UsersOfUser(generics.ListAPIView):
    serializer_class = UserSerializer

    def get_user(self):
        return get_object_or_404(User, pk=self.kwargs["pk"], is_active=True)


@extend_schema_view(get=extend_schema(summary="List a user's followers"))
class FollowerList(_UsersOfUser):
    """The users who follow this user, most recent first."""

    name = _("Followers")

    def get_queryset(self):
        return users_with_counts(followers_of(self.get_user()))


@extend_schema_view(get=extend_schema(summary="List the users a user follows"))
class FollowedList(_UsersOfUser):
    """The users this user follows, most recent first."""

    name = _("Followed")

    def get_queryset(self):
        return users_with_counts(followed_by(self.get_user()))


# Posts ----------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List every post"),
    post=extend_schema(summary="Write a post"),
)
class PostList(generics.ListCreateAPIView):
    """GET: every post, newest first (explore). POST: write a post (`body`, 1–140 characters)."""

    name = _("Posts")
    serializer_class = PostSerializer

    def get_queryset(self):
        return Post.objects.explore()

    def get_success_headers(self, data):
        return {"Location": data["_links"]["self"]}


@extend_schema_view(
    post=extend_schema(
        summary="Upload an image to attach to a post",
        request={"multipart/form-data": MediaUploadSerializer},
        responses={201: MediaSerializer},
    ),
)
class MediaUpload(generics.CreateAPIView):
    """POST (multipart): `file` (JPEG, PNG, WebP or GIF) and `alt_text`; returns the media,
    whose `id` goes in a new post's `media_ids`. `preview_url` is null until the thumbnail
    is made."""

    name = _("Media")
    serializer_class = MediaUploadSerializer
    parser_classes = [MultiPartParser, FormParser]


@extend_schema_view(
    get=extend_schema(summary="Get a post"),
    delete=extend_schema(summary="Delete your own post"),
)
class PostDetail(generics.RetrieveDestroyAPIView):
    """GET: a post. DELETE: delete one of your own posts."""

    name = _("Post")
    serializer_class = PostSerializer
    permission_classes = [permissions.IsAuthenticated, IsAuthorOrReadOnly]

    def get_queryset(self):
        return Post.objects.visible().with_authors().with_media()

    def perform_destroy(self, post):
        delete_post(post)


@extend_schema_view(get=extend_schema(summary="List a user's posts"))
class UserPostList(generics.ListAPIView):
    """This user's posts, newest first."""

    name = _("User's posts")
    serializer_class = PostSerializer

    def get_queryset(self):
        user = get_object_or_404(User, pk=self.kwargs["pk"], is_active=True)
        return Post.objects.by(user)


@extend_schema_view(get=extend_schema(summary="Your timeline"))
class Timeline(generics.ListAPIView):
    """Your own posts and those of everyone you follow, newest first."""

    name = _("Timeline")
    serializer_class = PostSerializer

    def get_queryset(self):
        return Post.objects.timeline_for(self.request.user)


# Tokens ---------------------------------------------------------------------------------


class TokenView(APIView):
    """POST with HTTP Basic credentials: a fresh token. DELETE with the token: revoke it."""

    name = _("Tokens")

    def get_authenticators(self):
        method = getattr(self.request, "method", None)  # None while the schema is generated
        if method == "POST":
            return [BasicCredentialsAuthentication()]
        if method is None:
            return [BasicCredentialsAuthentication(), BearerTokenAuthentication()]
        return [BearerTokenAuthentication()]

    def perform_authentication(self, request):
        if request.method == "POST":
            throttle = CredentialsThrottle()
            if not throttle.allow_request(request, self):
                self.throttled(request, throttle.wait())
        super().perform_authentication(request)

    @extend_schema(
        summary="Get a token (HTTP Basic credentials)",
        request=None,
        responses={200: TokenSerializer},
    )
    def post(self, request):
        _token, key = Token.objects.issue(request.user)
        return Response({"token": key})

    @extend_schema(
        summary="Revoke the token sent with this request",
        request=None,
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request):
        request.auth.revoke()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(exclude=True)
class NotFound(APIView):
    """Any other address under /api/: a 404 in the envelope, whatever the Accept header."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self._exists_with_a_slash(request):
            raise exceptions.NotFound(_("There is no such address in the API."))

    def get(self, request, *args, **kwargs):
        """/api/schema and /api/docs: APPEND_SLASH's redirect, which this catch-all prevents."""
        return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))

    @staticmethod
    def _exists_with_a_slash(request):
        if request.method not in ("GET", "HEAD") or request.path.endswith("/"):
            return False
        try:
            return resolve(request.path + "/").url_name != "not-found"
        except Resolver404:
            return False
