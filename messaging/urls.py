from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("send_message/<str:username>", views.send_message, name="send_message"),
    path("messages", views.inbox, name="messages"),
    path("notifications", views.notifications, name="notifications"),
    path("tasks/dismiss", views.dismiss_task, name="dismiss_task"),
]
