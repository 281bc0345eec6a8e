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


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/notes", {"GET", "HEAD", "POST"}),
        ("/api/v1/notes/1", {"GET", "HEAD", "PATCH", "DELETE"}),
        ("/api/v1/auth/login", {"POST"}),
        ("/health", {"GET", "HEAD"}),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "OPTIONS", "QUERY", "FOO", "TRACE"])
def test_any_other_method_is_a_405_problem(client, path: str, allowed: set, method) -> None:
    response = client.open(path, method=method)
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == allowed
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path", ["/api//v1/notes", "//api/v1/notes", "/api/v1/notes/", "/health/", "/slash"]
)
def test_paths_are_never_redirected(app: Flask, client: FlaskClient, path: str) -> None:
    app.add_url_rule("/slash/", "slash", lambda: "")  # Werkzeug redirects /slash to it
    # As a server passes it on: the test client would read `//api` as a host name.
    response = client.get(
        "/", headers={"Host": "evil.example"}, environ_overrides={"PATH_INFO": path}
    )
    assert_problem(response, 404)
    assert "Location" not in response.headers
    assert b"evil.example" not in response.data


@pytest.mark.parametrize("path", ["/api/v1/notes/%zz", "/api/v1/notes/%ff", "/nope/%c0%af"])
def test_bad_percent_encoding_is_a_404_problem(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert_problem(response, 404)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_validation_problem_lists_at_most_twenty_errors(client: FlaskClient) -> None:
    body = {f"unknown{n}": n for n in range(40_000)}
    response = client.post(REGISTER, json=body)
    problem = assert_problem(response, 422)
    assert len(problem["errors"]) == 20
    assert len(response.data) < 4096


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        'application/json; charset="utf-8"',
    ],
)
def test_a_utf8_json_body_is_read(client: FlaskClient, content_type: str) -> None:
    response = client.post(REGISTER, data='{"email": "x"}', content_type=content_type)
    assert_problem(response, 422)  # read and validated


@pytest.mark.parametrize("charset", ["utf-7", "latin-1", "iso-8859-1", "utf-16", "utf8"])
def test_another_charset_is_a_415_problem(client: FlaskClient, charset: str) -> None:
    content_type = f"application/json; charset={charset}"
    response = client.post(REGISTER, data='{"email": "x"}', content_type=content_type)
    assert_problem(response, 415)
