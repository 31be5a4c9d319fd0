"""A URL conf for the error-page tests: a view that writes, then fails."""

from django.http import HttpResponse
from django.urls import include, path

from accounts.models import User


def write_then_fail(request):
    User.objects.filter(username="susan").update(about_me="half-saved")
    raise RuntimeError("boom")


def write_and_succeed(request):
    User.objects.filter(username="susan").update(about_me="saved")
    return HttpResponse("ok")


urlpatterns = [
    path("fail", write_then_fail),
    path("succeed", write_and_succeed),
    path("", include("microblog.urls")),
]

handler404 = "microblog.views.page_not_found"
handler500 = "microblog.views.server_error"
