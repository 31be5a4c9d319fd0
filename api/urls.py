from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from . import views

app_name = "api"

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("users", views.UserList.as_view(), name="users"),
    path("users/<int:pk>", views.UserDetail.as_view(), name="user"),
    path("users/<int:pk>/followers", views.FollowerList.as_view(), name="followers"),
    path("users/<int:pk>/followed", views.FollowedList.as_view(), name="followed"),
    path("users/<int:pk>/posts", views.UserPostList.as_view(), name="user-posts"),
    path("posts", views.PostList.as_view(), name="posts"),
    path("posts/<int:pk>", views.PostDetail.as_view(), name="post"),
    path("media", views.MediaUpload.as_view(), name="media"),
    path("timeline", views.Timeline.as_view(), name="timeline"),
    path("tokens", views.TokenView.as_view(), name="tokens"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"", views.NotFound.as_view(), name="not-found"),
]
