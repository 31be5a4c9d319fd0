from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .media import remove_media
from .models import Media, Post


def preview(media):
    """The image's thumbnail (or, until it is made, the image itself), small."""
    source = media.thumbnail or media.file
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" style="max-width:120px;max-height:90px"></a>',
        media.file.url,
        source.url,
        media.alt_text,
    )


class MediaInline(admin.TabularInline):
    """A post's images; ticking "Delete" removes one image (and its files) from the post."""

    model = Media
    fields = ("image_preview", "alt_text", "width", "height", "owner")
    readonly_fields = ("image_preview", "alt_text", "width", "height", "owner")
    extra = 0
    max_num = 0  # images are uploaded by their author, not added here

    @admin.display(description=_("image"))
    def image_preview(self, media):
        return preview(media)


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
    inlines = [MediaInline]


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    list_display = ("image_preview", "alt_text", "owner", "post", "width", "height", "created")
    list_select_related = ("owner", "post")
    list_filter = ("created",)
    search_fields = ("alt_text", "owner__username")
    date_hierarchy = "created"
    raw_id_fields = ("owner", "post")
    readonly_fields = ("image_preview", "file", "thumbnail", "width", "height", "file_size")
    ordering = ("-created",)
    actions = ["remove_selected_images"]

    @admin.display(description=_("image"))
    def image_preview(self, media):
        return preview(media)

    def has_add_permission(self, request):
        return False  # uploads go through the checks of posts.media, from the site or the API

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one below, through the service
        return actions

    @admin.action(description=_("Remove selected images from their posts"), permissions=["delete"])
    def remove_selected_images(self, request, queryset):
        count = 0
        for media in queryset:
            remove_media(media=media)
            count += 1
        message = ngettext("%(count)d image removed.", "%(count)d images removed.", count)
        self.message_user(request, message % {"count": count})
