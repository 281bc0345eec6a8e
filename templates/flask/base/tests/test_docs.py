"""GET /docs: Swagger UI on openapi.json, from the package's own files, under its own CSP."""

import re
from collections.abc import Callable
from dataclasses import replace
from importlib.resources import files

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.config import Settings

# Where flask-openapi-swagger keeps the files the page loads.
SWAGGER_UI_FILES = {
    "swagger-ui.css": "templates/swagger/css/swagger-ui.css",
    "swagger-ui-bundle.js": "templates/swagger/js/swagger-ui-bundle.js",
}

API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)


def page_assets(html: str) -> list[str]:
    return re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)


def assert_not_found(response: TestResponse) -> None:
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_the_docs_page_is_html(client: FlaskClient) -> None:
    response = client.get("/docs", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    html = response.get_data(as_text=True)
    assert '<div id="swagger-ui">' in html
    assert page_assets(html) == [
        "/docs/swagger-ui.css",
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-initializer.js",
    ]


def test_the_docs_page_has_its_own_csp_and_nothing_else_does(client: FlaskClient) -> None:
    page = client.get("/docs")

    assert page.headers["Content-Security-Policy"] == DOCS_CSP
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    for path in ("/openapi.json", "/docs/swagger-ui-bundle.js", "/health", "/api/v1/notes"):
        assert client.get(path).headers["Content-Security-Policy"] == API_CSP, path


def test_the_page_loads_only_files_the_app_serves_from_the_package(client: FlaskClient) -> None:
    html = client.get("/docs").get_data(as_text=True)
    assert "//" not in "".join(page_assets(html))  # no CDN, no other host

    for asset in page_assets(html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = response.get_data()
        assert body, asset
        expected = "text/css" if asset.endswith(".css") else "text/javascript"
        assert response.mimetype == expected, asset
        name = asset.rsplit("/", 1)[1]
        if name in SWAGGER_UI_FILES:
            package_file = files("flask_openapi_swagger") / SWAGGER_UI_FILES[name]
            assert body == package_file.read_bytes(), asset
        else:
            assert b"/openapi.json" in body


@pytest.mark.parametrize(
    "path", ["/docs/LICENSE", "/docs/..%2Fconfig.py", "/docs/swagger-ui-standalone-preset.js"]
)
def test_only_the_listed_files_are_served(client: FlaskClient, path: str) -> None:
    assert_not_found(client.get(path))


@pytest.mark.parametrize("path", ["/docs", "/docs/swagger-ui-bundle.js"])
def test_the_docs_answer_404_when_turned_off(
    make_app: Callable[[Settings], Flask], settings: Settings, path: str
) -> None:
    # Off in production unless OPENAPI_ENABLED=true: test_health.py checks that default.
    app = make_app(replace(settings, openapi_enabled=False))
    assert_not_found(app.test_client().get(path))
