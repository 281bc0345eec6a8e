"""GET /docs: Swagger UI on openapi.json, from the package's own files, under its own CSP."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from core.views import SWAGGER_UI_DIR
from tests.helpers import SECURITY_HEADERS, assert_problem
from tests.test_settings import PRODUCTION, load_settings

pytestmark = pytest.mark.django_db

DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)


def page_assets(html: str) -> list[str]:
    return re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)


@override_settings(OPENAPI_ENABLED=True)
def test_the_docs_page_is_html_in_development(api_client):
    response = api_client.get("/docs", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<div id="swagger-ui">' in html
    assert page_assets(html) == [
        "/docs/swagger-ui.css",
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-initializer.js",
    ]


@override_settings(OPENAPI_ENABLED=True)
def test_the_docs_page_has_its_own_csp_and_nothing_else_does(api_client):
    page = api_client.get("/docs")

    assert page["Content-Security-Policy"] == DOCS_CSP
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    for path in ("/openapi.json", "/docs/swagger-ui-bundle.js", "/health", "/api/v1/notes"):
        response = api_client.get(path)
        assert response["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


@override_settings(OPENAPI_ENABLED=True)
def test_the_page_loads_only_files_the_app_serves_from_the_package(api_client):
    html = api_client.get("/docs").content.decode()
    assert "//" not in "".join(page_assets(html))  # no CDN, no other host

    for asset in page_assets(html):
        response = api_client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content)
        assert body, asset
        expected = "text/css" if asset.endswith(".css") else "text/javascript"
        assert response["Content-Type"].startswith(expected)
        name = asset.rsplit("/", 1)[1]
        if name.startswith("swagger-ui"):
            assert body == (SWAGGER_UI_DIR / name).read_bytes()
        else:
            assert b"/openapi.json" in body


@override_settings(OPENAPI_ENABLED=True)
def test_only_the_listed_files_are_served(api_client):
    for path in ("/docs/LICENSE", "/docs/..%2Fsettings.py", "/docs/swagger-ui.css.map"):
        assert_problem(api_client.get(path), 404)


def test_the_docs_are_off_in_production():
    assert load_settings(**PRODUCTION).OPENAPI_ENABLED is False


@override_settings(OPENAPI_ENABLED=False)
@pytest.mark.parametrize("path", ["/docs", "/docs/swagger-ui-bundle.js"])
def test_the_docs_answer_404_when_turned_off(api_client, path):
    assert_problem(api_client.get(path), 404)
