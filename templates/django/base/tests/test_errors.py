"""Every error is problem+json, including the ones Django answers by itself."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory, override_settings

from core.converters import IdConverter
from core.problems import bad_request
from notes.views import NoteListView
from tests.helpers import PASSWORD, assert_problem, assert_security_headers

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


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"'])
def test_json_in_utf_8_is_accepted(api_client, fast_hashing, charset):
    body = json.dumps({"email": "bob@example.com", "password": PASSWORD})

    response = api_client.post(REGISTER, body, content_type=f"application/json; charset={charset}")

    assert response.status_code == 201


@pytest.mark.parametrize("charset", ["utf-7", "latin-1", "utf-16", "utf8", ""])
def test_json_in_other_charsets_is_a_415(auth_client, charset):
    # In UTF-7 this is the title "<script>".
    body = b'{"title": "+ADw-script+AD4-"}'

    response = auth_client.post(NOTES, body, content_type=f"application/json; charset={charset}")

    problem = assert_problem(response, 415)
    assert "charset" not in problem.get("detail", "")  # the header is not echoed back
    assert auth_client.get(NOTES).json()["total"] == 0


def test_validation_errors_list_at_most_20_entries(auth_client):
    body = json.dumps({"title": "x", **{f"field{n}": n for n in range(40_000)}})

    response = auth_client.post(NOTES, body, content_type="application/json")

    assert len(assert_problem(response, 422)["errors"]) == 20
    assert len(response.content) < 4096


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

    problem = assert_problem(api_client.post(REGISTER, body, content_type="application/json"), 422)
    assert [error["field"] for error in problem["errors"]] == ["email"]


@pytest.mark.parametrize(
    "path",
    ["/nope", "/api/v1/notes/", "/api/v1/auth/login/", "/api", "/api//v1/notes", "/%2Fapi/v1"],
)
def test_unknown_paths_are_a_404_without_redirects(api_client, path):
    response = api_client.get(path)

    assert_problem(response, 404)
    assert_security_headers(response)


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


@pytest.mark.parametrize("method", ["FOO", "QUERY", "OPTIONS", "TRACE", "CONNECT", "PUT"])
@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/api/v1/notes", {"GET", "HEAD", "POST"}), ("/api/v1/auth/login", {"POST"})],
)
def test_any_other_method_is_a_405_even_without_a_token(api_client, method, path, allowed):
    response = api_client.generic(method, path)

    body = assert_problem(response, 405)
    assert {m.strip() for m in response["Allow"].split(",")} == allowed
    assert method not in body.get("detail", "")
    assert_security_headers(response)


def test_put_on_a_note_is_a_405(auth_client):
    note = auth_client.post(NOTES, {"title": "x"}).json()

    response = auth_client.put(f"{NOTES}/{note['id']}", {"title": "y"})

    assert_problem(response, 405)
    assert "PATCH" in response["Allow"]


@pytest.mark.parametrize("text", ["1", "42", "9007199254740991"])
def test_ids_in_paths_are_read_up_to_2_pow_53_minus_1(text):
    assert IdConverter().to_python(text) == int(text)


@pytest.mark.parametrize("text", ["9007199254740992", "9999999999999999"])
def test_larger_ids_match_no_route_before_any_query(text):
    # Django takes a ValueError from a converter as "no match": a 404.
    with pytest.raises(ValueError, match="out of range"):
        IdConverter().to_python(text)


def test_unhandled_errors_are_a_500_without_internals(auth_client, monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(NoteListView, "list", explode)

    response = auth_client.get(NOTES)

    body = assert_problem(response, 500)
    assert "secret internal detail" not in response.content.decode()
    assert set(body) <= {"type", "title", "status", "detail"}


@pytest.mark.parametrize("path", ["/health", "/api/v1/notes"])
def test_an_unknown_host_is_a_400_with_the_security_headers(api_client, path):
    response = api_client.get(path, HTTP_HOST="evil.example.net")

    assert_problem(response, 400)
    assert_security_headers(response)
    assert "evil.example.net" not in response.content.decode()
