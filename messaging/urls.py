from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("send_message/<str:username>", views.send_message, name="send_message"),
    path("messages", views.inbox, name="messages"),
    path("notifications", views.notifications, name="notifications"),
    path("export_posts", views.export_posts, name="export_posts"),
]
