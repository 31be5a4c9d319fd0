from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.middleware import last_seen_exempt

from . import views

app_name = "api"


def api_view(view_class, **initkwargs):
    """The API's view: its authentication classes keep `last_seen` (api.authentication)."""
    return last_seen_exempt(view_class.as_view(**initkwargs))


urlpatterns = [
    path("", api_view(views.ApiRoot), name="root"),
    path("users", api_view(views.UserList), name="users"),
    path("users/<int:pk>", api_view(views.UserDetail), name="user"),
    path("users/<int:pk>/followers", api_view(views.FollowerList), name="followers"),
    path("users/<int:pk>/followed", api_view(views.FollowedList), name="followed"),
    path("users/<int:pk>/posts", api_view(views.UserPostList), name="user-posts"),
    path("posts", api_view(views.PostList), name="posts"),
    path("posts/<int:pk>", api_view(views.PostDetail), name="post"),
    path("media", api_view(views.MediaUpload), name="media"),
    path("timeline", api_view(views.Timeline), name="timeline"),
    path("tokens", api_view(views.TokenView), name="tokens"),
    path("schema/", api_view(SpectacularAPIView), name="schema"),
    path("docs/", api_view(SpectacularSwaggerSplitView, url_name="api:schema"), name="docs"),
    path("redoc/", api_view(SpectacularRedocView, url_name="api:schema"), name="redoc"),
    re_path(r"", api_view(views.NotFound), name="not-found"),
]
