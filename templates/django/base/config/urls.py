"""URL routes. Paths have no trailing slash; every error is answered as problem+json."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.views import HealthView, OpenAPIView, ReadyView

urlpatterns = [
    path("health", HealthView.as_view()),
    path("ready", ReadyView.as_view()),
    path("openapi.json", OpenAPIView.as_view()),
    path("api/v1/", include("accounts.urls")),
    path("api/v1/", include("notes.urls")),
]

if settings.ADMIN_PATH:
    # Off the public API; mounted only at an unguessable path chosen per deployment.
    urlpatterns.append(path(f"{settings.ADMIN_PATH}/", admin.site.urls))

handler400 = "core.problems.bad_request"
handler403 = "core.problems.permission_denied"
handler404 = "core.problems.page_not_found"
handler500 = "core.problems.server_error"
