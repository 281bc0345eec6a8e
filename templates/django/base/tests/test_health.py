from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings

from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def test_health(api_client):
    response = api_client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_ignores_an_invalid_token(api_client):
    response = api_client.get("/health", HTTP_AUTHORIZATION="Bearer invalid")

    assert response.status_code == 200


def test_ready_when_the_database_answers(api_client):
    response = api_client.get("/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_not_ready_when_the_database_fails(api_client):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
        response = api_client.get("/ready")

    body = assert_problem(response, 503)
    assert "down" not in response.content.decode()
    assert body["detail"]


@override_settings(OPENAPI_ENABLED=True)
def test_openapi_document_is_served_as_written(api_client):
    response = api_client.get("/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == settings.OPENAPI_DOCUMENT.read_bytes()
    assert response.json()["openapi"].startswith("3.1")


@override_settings(OPENAPI_ENABLED=False)
def test_openapi_document_can_be_turned_off(api_client):
    assert_problem(api_client.get("/openapi.json"), 404)
