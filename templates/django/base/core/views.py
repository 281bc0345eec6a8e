"""The base of every API view, and the operational endpoints: liveness, readiness, the
OpenAPI document and its docs page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import drf_spectacular_sidecar
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from core.problems import METHOD_NOT_ALLOWED, problem

STATUS_OK = b'{"status":"ok"}'


class MethodCheckedFirstMixin:
    """Answer a method the view does not serve with 405 (and ``Allow``) before anything else.

    DRF authenticates first, so an anonymous ``FOO /api/v1/notes`` would get a 401 that
    says nothing about the path; every path answers any other method the same way.
    """

    http_method_names: Sequence[str]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if request.method is None or request.method.lower() not in self.http_method_names:
            raise MethodNotAllowed(request.method or "")
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class PublicView(MethodCheckedFirstMixin, APIView):
    """GET-only, no authentication (an invalid token must not fail a health probe)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    http_method_names = ("get", "head")


class ProbeView(View):
    """GET-only and unauthenticated (an invalid token must not fail a probe).

    Plain Django views: load balancers and orchestrators call them every few seconds, also
    under load, and DRF's request wrapping, content negotiation and rendering would cost
    more than the probe itself. The middleware (security headers, Host check) still runs.
    """

    http_method_names = ["get", "head"]  # noqa: RUF012  (a list, as Django's View declares it)

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        # No cookies, so nothing to forge: exempt from the CSRF check, as DRF's views are.
        return csrf_exempt(super().as_view(**initkwargs))

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return problem(405, METHOD_NOT_ALLOWED, headers={"Allow": "GET, HEAD"})


class HealthView(ProbeView):
    """Liveness: the process answers. Touches nothing else."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(STATUS_OK, content_type="application/json")


class ReadyView(ProbeView):
    """Readiness: the database answers a query."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            return problem(503, "The database is unavailable.")
        return HttpResponse(STATUS_OK, content_type="application/json")


@cache
def _read_document(path: Path) -> bytes:
    return path.read_bytes()


class OpenAPIView(PublicView):
    """The API's OpenAPI 3.1 document, served as written (off in production by default)."""

    def get(self, request: Request) -> HttpResponse:
        if not settings.OPENAPI_ENABLED:
            raise NotFound()
        document = _read_document(settings.OPENAPI_DOCUMENT)
        return HttpResponse(document, content_type="application/json")


# Swagger UI's files as the drf-spectacular-sidecar package ships them (no CDN), and the
# page that loads them.
SWAGGER_UI_DIR = (
    Path(drf_spectacular_sidecar.__file__).parent / "static/drf_spectacular_sidecar/swagger-ui-dist"
)
DOCS_DIR = Path(__file__).resolve().parent / "docs"
DOCS_ASSETS = {
    "swagger-ui.css": (SWAGGER_UI_DIR / "swagger-ui.css", "text/css; charset=utf-8"),
    "swagger-ui-bundle.js": (SWAGGER_UI_DIR / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-initializer.js": (DOCS_DIR / "swagger-initializer.js", "text/javascript"),
}


class DocsView(PublicView):
    """``GET /docs``: Swagger UI showing openapi.json; on and off with the document itself.

    The only HTML page of the API, so the only response with a CSP that lets it load its
    own scripts and styles (settings.DOCS_CONTENT_SECURITY_POLICY).
    """

    def get(self, request: Request) -> HttpResponse:
        if not settings.OPENAPI_ENABLED:
            raise NotFound()
        response = HttpResponse(
            _read_document(DOCS_DIR / "index.html"), content_type="text/html; charset=utf-8"
        )
        response["Content-Security-Policy"] = settings.DOCS_CONTENT_SECURITY_POLICY
        return response


class DocsAssetView(PublicView):
    """``GET /docs/<name>``: the page's scripts and stylesheet, from a fixed list.

    Served by the app itself, so the page works under gunicorn without collectstatic or
    a web server for static files.
    """

    def get(self, request: Request, name: str) -> FileResponse:
        if not settings.OPENAPI_ENABLED or name not in DOCS_ASSETS:
            raise NotFound()
        path, content_type = DOCS_ASSETS[name]
        return FileResponse(path.open("rb"), content_type=content_type)
