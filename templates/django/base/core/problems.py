"""RFC 9457 problem details: the one shape of every error the service returns.

``exception_handler`` covers exceptions raised in API views; the ``handler*`` views
cover what Django answers itself (unknown URL, bad Host header, body too large,
unhandled exception). None of them ever includes a traceback.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from core.exceptions import ServiceUnavailable

PROBLEM_CONTENT_TYPE = "application/problem+json"
# The 405's detail, from DRF's views and the plain ones (core/views.py) alike: DRF's own
# quotes the method.
METHOD_NOT_ALLOWED = "This method is not allowed on this path."
# A body with 40 000 unknown fields gets a short answer, not 40 000 error entries.
MAX_ERRORS = 20

# Reason phrases from RFC 9110 (fixed here: they differ between Python versions).
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": TITLES.get(status, "Error")}
    body["status"] = status
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return HttpResponse(
        json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE, headers=headers
    )


def field_errors(detail: Any, field: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error detail into ``[{field, message}]``.

    Errors about the body as a whole (for instance JSON that is not an object) have
    the empty field name.
    """
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = "" if key == api_settings.NON_FIELD_ERRORS_KEY else str(key)
            errors += field_errors(value, f"{field}.{name}" if field and name else field or name)
        return errors
    if isinstance(detail, list):
        return [error for item in detail for error in field_errors(item, field)]
    return [{"field": field, "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    """DRF's EXCEPTION_HANDLER: API exceptions → problem+json.

    Anything else is left to Django (returns None), which logs it and answers with
    ``server_error`` below.
    """
    if isinstance(exc, RequestDataTooBig):
        return problem(413, "The request body is larger than 1 MiB.")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None

    set_rollback()
    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    # Throttled.wait: the seconds until a retry may succeed (not in DRF's type stubs).
    retried = isinstance(exc, exceptions.Throttled | ServiceUnavailable)
    wait = getattr(exc, "wait", None) if retried else None
    if wait is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))

    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)[:MAX_ERRORS]
        return problem(422, "The request is invalid.", errors=errors, headers=headers)
    if isinstance(exc, exceptions.ParseError):
        return problem(400, "The request body is not valid JSON.", headers=headers)
    # DRF's own messages for these quote the request's method or Content-Type.
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return problem(415, "Send the body as application/json in UTF-8.", headers=headers)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return problem(405, METHOD_NOT_ALLOWED, headers=headers)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem(exc.status_code, detail, headers=headers)


# Django's error views (see handler400 etc. in config/urls.py).


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return problem(413, "The request body is larger than 1 MiB.")
    return problem(400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return problem(403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return problem(404, "No resource at this path.")


def server_error(request: HttpRequest) -> HttpResponse:
    return problem(500)
