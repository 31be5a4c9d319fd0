from django.contrib import admin

from .models import Follow


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "followed", "created")
    list_select_related = ("follower", "followed")
    search_fields = ("follower__username", "followed__username")
    list_filter = ("created",)
    date_hierarchy = "created"
    raw_id_fields = ("follower", "followed")
