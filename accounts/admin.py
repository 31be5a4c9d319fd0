from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import AdminLoginForm
from .models import User

admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "is_active", "is_staff", "date_joined", "last_seen")
    list_filter = ("is_active", "is_staff", "is_superuser", "date_joined", "last_seen")
    search_fields = ("username", "email", "about_me")
    date_hierarchy = "date_joined"
    ordering = ("-date_joined",)
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Profile"), {"fields": ("about_me", "last_seen")}),)
    actions = ["deactivate_users", "activate_users"]

    @admin.action(description=_("Deactivate selected users"))
    def deactivate_users(self, request, queryset):
        updated = services.deactivate_users(queryset.exclude(pk=request.user.pk))
        message = ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", updated)
        self.message_user(request, message % {"count": updated})

    @admin.action(description=_("Activate selected users"))
    def activate_users(self, request, queryset):
        updated = services.activate_users(queryset)
        message = ngettext("%(count)d user activated.", "%(count)d users activated.", updated)
        self.message_user(request, message % {"count": updated})
