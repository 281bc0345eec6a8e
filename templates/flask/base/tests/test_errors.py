"""Every error is application/problem+json, including the ones Werkzeug raises itself."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.errors import PROBLEM_MIMETYPE

REGISTER = "/api/v1/auth/register"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM_MIMETYPE
    body = response.json
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    return body


def test_unknown_path_is_a_404_problem(client: FlaskClient) -> None:
    body = assert_problem(client.get("/nope"), 404)
    assert body["title"] == "Not Found"


def test_unsupported_method_is_a_405_problem_with_allow(client: FlaskClient) -> None:
    response = client.put("/api/v1/notes")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_body_over_one_mebibyte_is_a_413_problem(client: FlaskClient) -> None:
    padding = "x" * (1024 * 1024)
    response = client.post(
        REGISTER, data=f'{{"email": "{padding}"}}', content_type="application/json"
    )
    assert_problem(response, 413)


def test_a_body_just_under_the_limit_is_read(client: FlaskClient) -> None:
    padding = "x" * (1024 * 1024 - 100)
    response = client.post(
        REGISTER, data=f'{{"email": "{padding}"}}', content_type="application/json"
    )
    assert_problem(response, 422)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_json_is_a_415_problem(client, content_type: str | None) -> None:
    response = client.post(REGISTER, data='{"email": "a@b.co"}', content_type=content_type)
    assert_problem(response, 415)


@pytest.mark.parametrize("data", ['{"email": ', "not json", "", "[" * 100_000])
def test_malformed_json_is_a_400_problem(client: FlaskClient, data: str) -> None:
    response = client.post(REGISTER, data=data, content_type="application/json")
    assert_problem(response, 400)


@pytest.mark.parametrize("data", ["[]", '"text"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_a_422_problem(client: FlaskClient, data: str) -> None:
    response = client.post(REGISTER, data=data, content_type="application/json")
    body = assert_problem(response, 422)
    assert body["errors"] == [{"field": "body", "message": "must be a JSON object"}]


def test_validation_problems_list_every_field(client: FlaskClient) -> None:
    response = client.post(REGISTER, json={"email": 1, "extra": True})
    body = assert_problem(response, 422)
    fields = sorted(error["field"] for error in body["errors"])
    assert fields == ["email", "extra", "password"]
    assert all(isinstance(error["message"], str) for error in body["errors"])


def test_an_unhandled_exception_is_a_bare_500_problem(app: Flask, client: FlaskClient) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("database password is hunter2")

    response = client.get("/boom")
    body = assert_problem(response, 500)
    assert body == {"type": "about:blank", "title": "Internal Server Error", "status": 500}
    assert b"hunter2" not in response.data
    assert b"Traceback" not in response.data
    assert response.headers["X-Content-Type-Options"] == "nosniff"
