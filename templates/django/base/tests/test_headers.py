from __future__ import annotations

import json

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import override_settings
from rest_framework.test import APIClient

from core.middleware import CorsMiddleware
from tests.helpers import assert_problem, assert_security_headers

pytestmark = pytest.mark.django_db

# Requests that Django, DRF or the middleware answer before (or instead of) a view.
ERRORS = {
    "bad JSON": ("post", "/api/v1/auth/login", '{"email": ', "application/json", 400),
    "no token": ("get", "/api/v1/auth/me", None, None, 401),
    "unknown path": ("get", "/nowhere", None, None, 404),
    "bad percent-encoding": ("get", "/api/v1/notes/%ff%fe", None, None, 404),
    "unknown method": ("generic", "/api/v1/notes", None, None, 405),
    "body over 1 MiB": ("post", "/api/v1/auth/login", "x" * 1024 * 1025, "application/json", 413),
    "not JSON": ("post", "/api/v1/auth/login", "a=b", "application/x-www-form-urlencoded", 415),
    "invalid body": ("post", "/api/v1/auth/login", "{}", "application/json", 422),
}


@pytest.mark.parametrize("path", ["/health", "/api/v1/notes", "/api/v1/auth/me", "/nowhere"])
def test_security_headers_are_on_every_response(api_client, path):
    response = api_client.get(path)

    assert_security_headers(response)
    assert "Server" not in response
    assert "X-Powered-By" not in response


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_errors_are_problems_with_the_security_headers(api_client, case):
    method, path, body, content_type, status = case
    if method == "generic":
        response = api_client.generic("FOO", path)
    elif body is None:
        response = getattr(api_client, method)(path)
    else:
        response = getattr(api_client, method)(path, body, content_type=content_type)

    problem = assert_problem(response, status)
    assert_security_headers(response)
    assert "/api/" not in json.dumps(problem)  # no URL echoed back
    if path.startswith("/api/"):
        assert response["Cache-Control"] == "no-store"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_https_redirect_carries_the_security_headers():
    response = APIClient().get("/api/v1/notes")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1/notes"
    assert_security_headers(response)
    assert response["Cache-Control"] == "no-store"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_an_unknown_host_is_a_400_even_before_the_https_redirect():
    response = APIClient().get("/api/v1/notes", HTTP_HOST="evil.example.net")

    assert_problem(response, 400)
    assert_security_headers(response)


@pytest.mark.parametrize("accept", ["application/xml", "text/html", "application/problem+json"])
def test_responses_are_json_whatever_the_accept_header(api_client, accept):
    ok = api_client.get("/health", HTTP_ACCEPT=accept)
    error = api_client.get("/api/v1/notes", HTTP_ACCEPT=accept)

    assert (ok.status_code, ok["Content-Type"]) == (200, "application/json")
    assert (error.status_code, error["Content-Type"]) == (401, "application/problem+json")


def test_api_responses_are_not_cached(api_client, auth_client):
    assert api_client.get("/api/v1/notes")["Cache-Control"] == "no-store"
    assert auth_client.get("/api/v1/notes")["Cache-Control"] == "no-store"
    # The path is matched once decoded, and however many slashes lead it.
    assert auth_client.get("/%61pi/v1/notes")["Cache-Control"] == "no-store"
    assert auth_client.get("/api//v1/notes")["Cache-Control"] == "no-store"
    # (The test client would read "//api" as a host name: set the path itself.)
    assert auth_client.get("/", PATH_INFO="//api/v1/notes")["Cache-Control"] == "no-store"
    assert "no-store" not in api_client.get("/health").get("Cache-Control", "")


def test_no_hsts_outside_production(api_client):
    assert "Strict-Transport-Security" not in api_client.get("/health")


@override_settings(
    PRODUCTION=True, SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True
)
def test_hsts_in_production():
    response = APIClient().get("/health")

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_an_allowed_origin_is_echoed():
    response = APIClient().get("/health", HTTP_ORIGIN="https://app.example.com")

    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_a_preflight_from_an_allowed_origin_is_a_204():
    response = APIClient().options(
        "/api/v1/notes",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "authorization" in response["Access-Control-Allow-Headers"]


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_other_origins_get_no_cors_headers():
    client = APIClient()
    simple = client.get("/health", HTTP_ORIGIN="https://evil.example.net")
    preflight = client.options(
        "/api/v1/notes",
        HTTP_ORIGIN="https://evil.example.net",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    for response in (simple, preflight):
        assert not [name for name in response.headers if name.lower().startswith("access-control")]


@override_settings(CORS_ALLOWED_ORIGINS=[])
def test_without_allowed_origins_cors_is_out_of_the_request_path():
    # Nothing to add to any response: no work on every request either.
    with pytest.raises(MiddlewareNotUsed):
        CorsMiddleware(lambda request: HttpResponse())

    client = APIClient()
    simple = client.get("/health", HTTP_ORIGIN="https://app.example.com")
    preflight = client.options(
        "/api/v1/notes",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    for response in (simple, preflight):
        assert not [name for name in response.headers if name.lower().startswith("access-control")]
