from django.urls import path

from . import views

app_name = "posts"

urlpatterns = [
    path("", views.index, name="index"),
    path("index", views.index, name="index_alias"),
    path("explore", views.explore, name="explore"),
    path("user/<str:username>", views.profile, name="profile"),
    path("post/<int:post_id>/delete", views.delete, name="delete"),
    path("translate", views.translate_text, name="translate"),
    path("search", views.search, name="search"),
    path("export_posts", views.export_posts, name="export_posts"),
]
