from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from app.config import Settings

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"
ALLOWED = "https://app.example.com"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/nope", 404),
        ("DELETE", "/health", 405),
        ("GET", "/api/v1/auth/me", 401),
        ("POST", "/api/v1/auth/login", 415),
        ("FOO", "/api/v1/notes", 405),
        ("GET", "/api//v1/notes", 404),
        ("GET", "/api/v1/notes/%ff", 404),
    ],
)
def test_security_headers_are_on_every_response(client, method, path, status) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "Strict-Transport-Security" not in response.headers
    assert "Server" not in response.headers
    assert "X-Powered-By" not in response.headers


def test_api_responses_are_not_cached(client: FlaskClient) -> None:
    assert client.get("/api/v1/auth/me").headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/unknown").headers["Cache-Control"] == "no-store"
    assert client.open("/api/v1/notes", method="QUERY").headers["Cache-Control"] == "no-store"
    # The decoded path decides: /%61pi/ is /api/.
    assert client.get("/%61pi/v1/notes").headers["Cache-Control"] == "no-store"
    double = client.get("/", environ_overrides={"PATH_INFO": "//api/v1/notes"})
    assert (double.status_code, double.headers["Cache-Control"]) == (404, "no-store")
    assert "Cache-Control" not in client.get("/health").headers


def test_hsts_is_sent_in_production(make_app, settings: Settings) -> None:
    app = make_app(replace(settings, app_env="production"))
    for path in ("/health", "/nope"):
        response = app.test_client().get(path)
        assert response.headers["Strict-Transport-Security"] == HSTS


@pytest.fixture
def cors_client(make_app, settings: Settings) -> FlaskClient:
    return make_app(replace(settings, cors_origins=(ALLOWED,))).test_client()


def test_an_allowed_origin_is_echoed(cors_client: FlaskClient) -> None:
    response = cors_client.get("/health", headers={"Origin": ALLOWED})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_another_origin_gets_no_cors_headers(cors_client: FlaskClient) -> None:
    response = cors_client.get("/health", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert not [name for name, _ in response.headers if name.startswith("Access-Control-")]


def test_a_preflight_from_an_allowed_origin_gets_204(cors_client: FlaskClient) -> None:
    response = cors_client.options(
        "/api/v1/notes",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_preflight_from_another_origin_is_not_approved(cors_client: FlaskClient) -> None:
    response = cors_client.options(
        "/api/v1/notes",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers


def test_no_cors_headers_without_an_allowlist(client: FlaskClient) -> None:
    response = client.get("/health", headers={"Origin": ALLOWED})
    assert "Access-Control-Allow-Origin" not in response.headers
