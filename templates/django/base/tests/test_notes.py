from __future__ import annotations

import pytest

from notes.models import Note
from tests.helpers import assert_problem, client_for

NOTES = "/api/v1/notes"

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(user):
    return Note.objects.create(owner=user, title="First", body="Hello")


def test_create_returns_the_note(auth_client):
    response = auth_client.post(NOTES, {"title": "Groceries", "body": "Milk"})

    assert response.status_code == 201
    note = response.json()
    assert set(note) == {"id", "title", "body", "created_at", "updated_at"}
    assert isinstance(note["id"], int)
    assert (note["title"], note["body"]) == ("Groceries", "Milk")
    assert note["created_at"].endswith("Z")


def test_an_omitted_body_is_null(auth_client):
    assert auth_client.post(NOTES, {"title": "No body"}).json()["body"] is None


def test_title_and_body_are_stored_exactly(auth_client):
    note = auth_client.post(NOTES, {"title": "  spaced  ", "body": ""}).json()

    assert (note["title"], note["body"]) == ("  spaced  ", "")


def test_lengths_are_counted_in_code_points(auth_client):
    response = auth_client.post(NOTES, {"title": "😀" * 200, "body": "é" * 10_000})

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": None}, "title"),
        ({"title": 5}, "title"),
        ({"title": ["a"]}, "title"),
        ({"title": "ok", "body": "x" * 10_001}, "body"),
        ({"title": "ok", "body": 12}, "body"),
        ({"title": "ok", "owner": 2}, "owner"),
        ({"title": "ok", "id": 7}, "id"),
        ({"title": "nul \x00 byte"}, "title"),
    ],
)
def test_create_rejects_invalid_input(auth_client, payload, field):
    body = assert_problem(auth_client.post(NOTES, payload), 422)

    assert field in [error["field"] for error in body["errors"]]
    assert not Note.objects.exists()


def test_create_rejects_text_that_is_not_valid_unicode(auth_client):
    # A lone surrogate escape is valid JSON syntax but cannot be stored as UTF-8.
    response = auth_client.post(NOTES, '{"title": "bad \\ud800"}', content_type="application/json")

    body = assert_problem(response, 422)
    assert [error["field"] for error in body["errors"]] == ["title"]


def test_get_returns_an_own_note(auth_client, note):
    response = auth_client.get(f"{NOTES}/{note.pk}")

    assert response.status_code == 200
    assert response.json()["title"] == "First"


def test_patch_changes_only_the_given_fields(auth_client, note):
    response = auth_client.patch(f"{NOTES}/{note.pk}", {"body": None})

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["body"]) == ("First", None)
    note.refresh_from_db()
    assert note.body is None


@pytest.mark.parametrize(
    "payload", [{"title": None}, {"title": ""}, {"colour": "red"}, {"body": "x" * 10_001}]
)
def test_patch_applies_the_same_rules(auth_client, note, payload):
    assert_problem(auth_client.patch(f"{NOTES}/{note.pk}", payload), 422)
    note.refresh_from_db()
    assert (note.title, note.body) == ("First", "Hello")


def test_delete_removes_the_note(auth_client, note):
    response = auth_client.delete(f"{NOTES}/{note.pk}")

    assert response.status_code == 204
    assert response.content == b""
    assert not Note.objects.exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_note_is_not_found(make_user, note, method):
    intruder = client_for(make_user("mallory@example.com"))

    response = getattr(intruder, method)(f"{NOTES}/{note.pk}", {"title": "mine"})

    assert_problem(response, 404)
    note.refresh_from_db()
    assert note.title == "First"


@pytest.mark.parametrize("path", ["abc", "1.5", "-1", "99999999999999999999999999", "1/"])
def test_non_integer_or_unknown_ids_are_not_found(auth_client, path):
    assert_problem(auth_client.get(f"{NOTES}/{path}"), 404)


def test_notes_require_a_token(api_client, note):
    assert_problem(api_client.get(NOTES), 401)
    assert_problem(api_client.get(f"{NOTES}/{note.pk}"), 401)
    assert_problem(api_client.post(NOTES, {"title": "x"}), 401)


def test_list_shows_only_own_notes_ordered_by_id(auth_client, user, make_user):
    other = make_user("bob@example.com")
    Note.objects.create(owner=other, title="Bob's")
    ids = [Note.objects.create(owner=user, title=f"n{i}").pk for i in range(3)]

    response = auth_client.get(NOTES)

    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 3
    assert (page["limit"], page["offset"]) == (20, 0)
    assert [item["id"] for item in page["items"]] == ids


def test_list_paginates_with_limit_and_offset(auth_client, user):
    ids = [Note.objects.create(owner=user, title=f"n{i}").pk for i in range(5)]

    page = auth_client.get(NOTES, {"limit": 2, "offset": 3}).json()

    assert [item["id"] for item in page["items"]] == ids[3:5]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 3)


def test_an_offset_past_the_end_gives_an_empty_page(auth_client, note):
    page = auth_client.get(NOTES, {"offset": 10**17}).json()

    assert page["items"] == []
    assert page["total"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"limit": "+5"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": "x"}, "offset"),
        ({"offset": "9" * 30}, "offset"),
    ],
)
def test_list_rejects_out_of_range_pagination(auth_client, query, field):
    body = assert_problem(auth_client.get(NOTES, query), 422)

    assert [error["field"] for error in body["errors"]] == [field]


@pytest.mark.parametrize("limit", [1, 100])
def test_list_accepts_limits_at_the_bounds(auth_client, limit):
    assert auth_client.get(NOTES, {"limit": limit}).json()["limit"] == limit
