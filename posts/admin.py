from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
