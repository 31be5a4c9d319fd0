from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Post


class AuthorActiveFilter(admin.BooleanFieldListFilter):
    """Its "No" choice lists the posts that deactivating their author hid from the site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("author active")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "body", "language", "timestamp")
    list_select_related = ("author",)
    list_filter = ("language", ("author__is_active", AuthorActiveFilter), "timestamp")
    search_fields = ("body", "author__username")
    date_hierarchy = "timestamp"
    raw_id_fields = ("author",)
    ordering = ("-timestamp",)
    actions = ["delete_selected_posts"]

    @admin.action(description=_("Delete selected posts"), permissions=["delete"])
    def delete_selected_posts(self, request, queryset):
        """One by one, so that each deletion's signals (the search index) follow."""
        count = 0
        for post in queryset:
            post.delete()
            count += 1
        message = ngettext("%(count)d post deleted.", "%(count)d posts deleted.", count)
        self.message_user(request, message % {"count": count})
