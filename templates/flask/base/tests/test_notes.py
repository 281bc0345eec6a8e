import re

import pytest
from flask.testing import FlaskClient

NOTES = "/api/v1/notes"
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def create(client: FlaskClient, headers: dict[str, str], **body: object) -> dict:
    response = client.post(NOTES, json={"title": "A note", **body}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_create_returns_the_note_and_its_location(client: FlaskClient, account) -> None:
    response = client.post(NOTES, json={"title": "Groceries"}, headers=account.headers)
    assert response.status_code == 201
    note = response.json
    assert set(note) == {"id", "title", "body", "created_at", "updated_at"}
    assert isinstance(note["id"], int)
    assert note["title"] == "Groceries"
    assert note["body"] is None
    assert ISO_UTC.match(note["created_at"])
    assert note["created_at"] == note["updated_at"]
    assert response.headers["Location"] == f"{NOTES}/{note['id']}"


def test_read_update_and_delete_a_note(client: FlaskClient, account) -> None:
    note = create(client, account.headers, body="milk")
    url = f"{NOTES}/{note['id']}"

    assert client.get(url, headers=account.headers).json == note

    renamed = client.patch(url, json={"title": "Shopping"}, headers=account.headers)
    assert renamed.status_code == 200
    assert renamed.json["title"] == "Shopping"
    assert renamed.json["body"] == "milk"  # untouched: PATCH is partial
    assert ISO_UTC.match(renamed.json["updated_at"])

    cleared = client.patch(url, json={"body": None}, headers=account.headers)
    assert cleared.status_code == 200
    assert cleared.json["body"] is None
    assert cleared.json["title"] == "Shopping"

    deleted = client.delete(url, headers=account.headers)
    assert deleted.status_code == 204
    assert deleted.data == b""
    assert client.get(url, headers=account.headers).status_code == 404


def test_list_is_paginated_and_ordered_by_id(client: FlaskClient, account) -> None:
    ids = [create(client, account.headers, title=f"note {i}")["id"] for i in range(25)]

    first = client.get(NOTES, headers=account.headers).json
    assert (first["total"], first["limit"], first["offset"]) == (25, 20, 0)
    assert [item["id"] for item in first["items"]] == ids[:20]

    last = client.get(f"{NOTES}?limit=10&offset=20", headers=account.headers).json
    assert (last["total"], last["limit"], last["offset"]) == (25, 10, 20)
    assert [item["id"] for item in last["items"]] == ids[20:]

    beyond = client.get(f"{NOTES}?offset=100", headers=account.headers).json
    assert beyond["items"] == []
    assert beyond["total"] == 25


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("limit=1.5", "limit"),
        ("limit=", "limit"),
        ("offset=-1", "offset"),
        ("offset=x", "offset"),
        ("offset=1e3", "offset"),
        ("offset=99999999999999999999", "offset"),
    ],
)
def test_list_rejects_bad_pagination(client: FlaskClient, account, query: str, field: str) -> None:
    response = client.get(f"{NOTES}?{query}", headers=account.headers)
    assert response.status_code == 422
    assert [error["field"] for error in response.json["errors"]] == [field]


def test_notes_are_private_to_their_owner(client: FlaskClient, make_account) -> None:
    alice, bob = make_account(), make_account()
    note = create(client, alice.headers, title="Alice's", body="secret")
    url = f"{NOTES}/{note['id']}"

    assert client.get(url, headers=bob.headers).status_code == 404
    assert client.patch(url, json={"title": "mine"}, headers=bob.headers).status_code == 404
    assert client.delete(url, headers=bob.headers).status_code == 404
    assert client.get(NOTES, headers=bob.headers).json["total"] == 0

    assert client.get(url, headers=alice.headers).json == note


@pytest.mark.parametrize("path", ["abc", "1.5", "-1", "0x1", "99999999999999999999"])
def test_a_non_integer_or_impossible_id_is_not_found(client, account, path: str) -> None:
    response = client.get(f"{NOTES}/{path}", headers=account.headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": 123}, "title"),
        ({"title": None}, "title"),
        ({"title": "ok", "body": "x" * 10_001}, "body"),
        ({"title": "ok", "body": 5}, "body"),
        ({"title": "ok", "body": ["x"]}, "body"),
        ({"title": "ok", "owner_id": 1}, "owner_id"),
        ({"title": "nul\u0000byte"}, "title"),
    ],
)
def test_create_rejects_invalid_notes(client: FlaskClient, account, body: dict, field: str) -> None:
    response = client.post(NOTES, json=body, headers=account.headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in [error["field"] for error in response.json["errors"]]


def test_lengths_are_counted_in_code_points(client: FlaskClient, account) -> None:
    # 200 code points that take 800 bytes in UTF-8.
    note = create(client, account.headers, title="🦊" * 200, body="é" * 10_000)
    assert len(note["title"]) == 200
    too_long = client.post(NOTES, json={"title": "🦊" * 201}, headers=account.headers)
    assert too_long.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"body": 1}, "body"),
        ({"id": 7}, "id"),
    ],
)
def test_update_rejects_invalid_changes(client, account, body: dict, field: str) -> None:
    note = create(client, account.headers)
    response = client.patch(f"{NOTES}/{note['id']}", json=body, headers=account.headers)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json["errors"]]
    assert client.get(f"{NOTES}/{note['id']}", headers=account.headers).json == note


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", NOTES),
        ("POST", NOTES),
        ("GET", f"{NOTES}/1"),
        ("PATCH", f"{NOTES}/1"),
        ("DELETE", f"{NOTES}/1"),
    ],
)
def test_every_notes_route_requires_a_token(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(path, method=method, json={"title": "x"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
