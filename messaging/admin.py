from django.contrib import admin

from .models import Message, Notification, Task


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "sender", "recipient", "body", "timestamp", "read_at")
    list_select_related = ("sender", "recipient")
    list_filter = ("timestamp", "read_at")
    search_fields = ("body", "sender__username", "recipient__username")
    date_hierarchy = "timestamp"
    raw_id_fields = ("sender", "recipient")
    ordering = ("-timestamp",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "name", "data", "timestamp")
    list_select_related = ("user",)
    list_filter = ("name",)
    search_fields = ("name", "user__username")
    raw_id_fields = ("user",)
    ordering = ("-timestamp",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "description", "user", "created", "complete", "failed")
    list_select_related = ("user",)
    list_filter = ("name", "complete", "failed", "created")
    search_fields = ("id", "name", "user__username")
    date_hierarchy = "created"
    raw_id_fields = ("user",)
    ordering = ("-created",)
