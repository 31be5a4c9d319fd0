from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from microblog.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("accounts.urls")),
    path("", include("social.urls")),
    path("", include("posts.urls")),
    path("", include("messaging.urls")),
]

handler404 = "microblog.views.page_not_found"
handler500 = "microblog.views.server_error"
