from django.contrib import admin

from .models import Token


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    """Moderators can see who holds API tokens and revoke them (delete)."""

    list_display = ("user", "selector", "created", "expires")
    list_select_related = ("user",)
    search_fields = ("user__username", "selector")
    date_hierarchy = "created"
    readonly_fields = ("user", "selector", "digest", "created", "expires")

    def has_add_permission(self, request):
        return False  # tokens are issued through POST /api/tokens only
