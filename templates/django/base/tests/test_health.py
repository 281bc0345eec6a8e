from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings

from tests.helpers import assert_problem, assert_security_headers

pytestmark = pytest.mark.django_db


def test_health(api_client):
    response = api_client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_ignores_an_invalid_token(api_client):
    response = api_client.get("/health", HTTP_AUTHORIZATION="Bearer invalid")

    assert response.status_code == 200


def test_health_touches_no_database(api_client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert api_client.get("/health").status_code == 200


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_probes_answer_get_and_head_only(api_client, path):
    assert api_client.head(path).status_code == 200

    for method in ("post", "put", "delete"):
        response = getattr(api_client, method)(path)
        assert_problem(response, 405)
        assert response["Allow"] == "GET, HEAD"
        assert_security_headers(response)


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
