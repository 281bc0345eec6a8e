"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import RequestRedirect

PROBLEM_MIMETYPE = "application/problem+json"
# However many fields are wrong (40 000 unknown keys...), the answer stays small.
MAX_LISTED_ERRORS = 20

# Werkzeug's default descriptions are written for browsers; these are shorter.
_DEFAULT_DETAILS = {
    404: "The requested resource was not found.",
    405: "The method is not allowed for this resource.",
    413: "The request body is larger than 1 MiB.",
}


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class ProblemError(Exception):
    """Raise to answer with a problem; `detail` must be safe to show to clients."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or HTTP_STATUS_CODES.get(status, ""))
        self.status = status
        self.detail = detail
        self.errors = tuple(errors)
        self.headers = dict(headers or {})


class ValidationFailed(ProblemError):
    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__(422, "The request is invalid.", errors=errors[:MAX_LISTED_ERRORS])


def unauthorized(detail: str) -> ProblemError:
    return ProblemError(401, detail, headers={"WWW-Authenticate": "Bearer"})


def too_many_requests(detail: str, retry_after: int) -> ProblemError:
    return ProblemError(429, detail, headers={"Retry-After": str(retry_after)})


def service_unavailable(detail: str, retry_after: int) -> ProblemError:
    return ProblemError(503, detail, headers={"Retry-After": str(retry_after)})


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, object] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    # The provider builds an app.response_class; its annotation names Werkzeug's base class.
    response = cast(Response, current_app.json.response(body))
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    response.headers.update(headers or {})
    return response


def register_error_handlers(app: Flask) -> None:
    @app.before_request
    def refuse_paths_not_written_as_routed() -> None:
        # Werkzeug matches `//api/v1/notes` as `/api/v1/notes` (it drops leading slashes),
        # and redirects `/api//v1/notes` to `/api/v1/notes` (or `/stats` to a route declared
        # as `/stats/`) with a Location built from the client's Host header, which Flask
        # sends without asking the error handlers. None is a path of this API: not found.
        if request.environ.get("PATH_INFO", "").startswith("//"):
            raise NotFound
        if isinstance(request.routing_exception, RequestRedirect):
            raise NotFound

    @app.errorhandler(ProblemError)
    def handle_problem(error: ProblemError) -> Response:
        return problem_response(
            error.status, error.detail, errors=error.errors, headers=error.headers
        )

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException) -> Response:
        # Werkzeug's own errors (404, 405, 413, 415, 400...). Keep their headers
        # (such as `Allow` on 405) but not their HTML body.
        status = error.code or 500
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        custom = error.description != type(error).description
        detail = error.description if custom else _DEFAULT_DETAILS.get(status)
        return problem_response(status, None if status >= 500 else detail, headers=headers)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        # The traceback goes to the log, never to the client.
        app.logger.error("Unhandled exception", exc_info=error)
        return problem_response(500)
