from django.urls import path

from . import views

app_name = "social"

urlpatterns = [
    path("follow/<str:username>", views.follow, name="follow"),
    path("unfollow/<str:username>", views.unfollow, name="unfollow"),
    path("user/<str:username>/followers", views.followers, name="followers"),
    path("user/<str:username>/following", views.following, name="following"),
    path("user/<str:username>/popup", views.popup, name="popup"),
]
