"""The base of every API view, and the operational endpoints: liveness, readiness and
the OpenAPI document."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.problems import problem


class MethodCheckedFirstMixin:
    """Answer a method the view does not serve with 405 (and ``Allow``) before anything else.

    DRF authenticates first, so an anonymous ``FOO /api/v1/notes`` would get a 401 that
    says nothing about the path; every path answers any other method the same way.
    """

    http_method_names: tuple[str, ...]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if request.method is None or request.method.lower() not in self.http_method_names:
            raise MethodNotAllowed(request.method or "")
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class PublicView(MethodCheckedFirstMixin, APIView):
    """GET-only, no authentication (an invalid token must not fail a health probe)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    http_method_names = ("get", "head")


class HealthView(PublicView):
    """Liveness: the process answers. Touches nothing else."""

    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class ReadyView(PublicView):
    """Readiness: the database answers a query."""

    def get(self, request: Request) -> Response | HttpResponse:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            return problem(503, "The database is unavailable.")
        return Response({"status": "ok"})


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
