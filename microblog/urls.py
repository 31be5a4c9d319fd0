from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from microblog.views import healthz, media

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

if settings.MEDIA_SERVE and settings.MEDIA_URL.startswith("/"):
    # Uploaded files from MEDIA_ROOT, for the development server and the single-machine
    # container; a site with object storage (or a proxy serving var/media) turns this off.
    urlpatterns.insert(
        0,
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            media,
            name="media",
        ),
    )

handler404 = "microblog.views.page_not_found"
handler500 = "microblog.views.server_error"
