from dataclasses import replace

from flask import Flask
from flask.testing import FlaskClient

from app.config import Settings, load_settings


def test_health_answers_ok(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_ready_answers_ok_when_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_ready_answers_503_when_the_database_is_down(make_app, settings: Settings) -> None:
    # Nothing listens on port 1: the connection is refused at once.
    down = replace(settings, database_url="postgresql+psycopg://postgres@127.0.0.1:1/none")
    response = make_app(down).test_client().get("/ready")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.json == {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "The database is unavailable.",
    }


def test_openapi_document_is_served(client: FlaskClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.json["openapi"].startswith("3.1")
    assert "/api/v1/notes" in response.json["paths"]


def test_openapi_document_can_be_turned_off(make_app, settings: Settings) -> None:
    app: Flask = make_app(replace(settings, openapi_enabled=False))
    response = app.test_client().get("/openapi.json")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_openapi_is_off_by_default_in_production_only() -> None:
    secret = "s" * 20 + "0123456789abcdef"
    production = {"APP_ENV": "production", "JWT_SECRET": secret}
    assert load_settings(production).openapi_enabled is False
    assert load_settings({**production, "OPENAPI_ENABLED": "true"}).openapi_enabled is True
    assert load_settings({"JWT_SECRET": secret}).openapi_enabled is True
