"""Every error is problem+json, including the ones Django answers by itself."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory, override_settings

from core.problems import bad_request
from notes.views import NoteListView
from tests.helpers import PASSWORD, assert_problem

REGISTER = "/api/v1/auth/register"
NOTES = "/api/v1/notes"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ['{"email": ', "{'single': 'quotes'}", "NaN", b"\xff\xfe"])
def test_malformed_json_is_a_400(api_client, body):
    response = api_client.post(REGISTER, body, content_type="application/json")

    assert_problem(response, 400)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_other_content_types_are_a_415(api_client, content_type):
    body = json.dumps({"email": "bob@example.com", "password": PASSWORD})

    assert_problem(api_client.post(REGISTER, body, content_type=content_type), 415)


def test_json_with_a_charset_is_accepted(api_client):
    body = json.dumps({"email": "bob@example.com", "password": PASSWORD})

    response = api_client.post(REGISTER, body, content_type="application/json; charset=utf-8")

    assert response.status_code == 201


def test_a_body_over_1_mib_is_a_413(api_client):
    body = json.dumps({"email": "bob@example.com", "password": "x" * (1024 * 1024)})

    assert_problem(api_client.post(REGISTER, body, content_type="application/json"), 413)


@override_settings(DEBUG=True)
def test_a_body_over_1_mib_is_a_413_problem_even_with_debug_pages_on(auth_client):
    body = json.dumps({"title": "big", "body": "x" * (1024 * 1024)})

    assert_problem(auth_client.post(NOTES, body, content_type="application/json"), 413)


def test_django_reports_a_body_over_the_limit_as_a_413():
    response = bad_request(RequestFactory().post("/"), RequestDataTooBig("too big"))

    assert_problem(response, 413)


def test_json_nested_too_deeply_is_a_400(auth_client):
    body = '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}"

    assert_problem(auth_client.post(NOTES, body, content_type="application/json"), 400)


def test_a_body_of_exactly_1_mib_is_read(api_client):
    padding = 1024 * 1024 - len(json.dumps({"email": "", "password": PASSWORD}))
    body = json.dumps({"email": "x" * padding, "password": PASSWORD})
    assert len(body) == 1024 * 1024

    body = assert_problem(api_client.post(REGISTER, body, content_type="application/json"), 422)
    assert [error["field"] for error in body["errors"]] == ["email"]


@pytest.mark.parametrize("path", ["/nope", "/api/v1/notes/", "/api/v1/auth/login/", "/api"])
def test_unknown_paths_are_a_404_without_redirects(api_client, path):
    assert_problem(api_client.get(path), 404)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/api/v1/notes", {"GET", "POST"}),
        ("delete", "/api/v1/notes", {"GET", "POST"}),
        ("get", "/api/v1/auth/login", {"POST"}),
        ("post", "/health", {"GET"}),
    ],
)
def test_unsupported_methods_are_a_405_with_allow(auth_client, method, path, allowed):
    response = getattr(auth_client, method)(path)

    assert_problem(response, 405)
    assert allowed <= {m.strip() for m in response["Allow"].split(",")}


def test_put_on_a_note_is_a_405(auth_client):
    note = auth_client.post(NOTES, {"title": "x"}).json()

    response = auth_client.put(f"{NOTES}/{note['id']}", {"title": "y"})

    assert_problem(response, 405)
    assert "PATCH" in response["Allow"]


def test_unhandled_errors_are_a_500_without_internals(auth_client, monkeypatch):
    def explode(self):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(NoteListView, "get_queryset", explode)

    response = auth_client.get(NOTES)

    body = assert_problem(response, 500)
    assert "secret internal detail" not in response.content.decode()
    assert set(body) <= {"type", "title", "status", "detail"}


def test_an_unknown_host_is_a_400(api_client):
    assert_problem(api_client.get("/health", HTTP_HOST="evil.example.net"), 400)
