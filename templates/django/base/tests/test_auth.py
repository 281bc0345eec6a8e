from __future__ import annotations

import jwt
import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher

from accounts.models import User
from tests.helpers import PASSWORD, assert_problem

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"

pytestmark = pytest.mark.django_db


def test_register_returns_the_new_user(api_client):
    response = api_client.post(REGISTER, {"email": "  Bob@Example.COM ", "password": PASSWORD})

    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "email": "bob@example.com"}
    assert isinstance(body["id"], int)
    user = User.objects.get(pk=body["id"])
    assert user.email == "bob@example.com"


def test_register_stores_an_argon2id_hash(api_client):
    api_client.post(REGISTER, {"email": "bob@example.com", "password": PASSWORD})

    user = User.objects.get(email="bob@example.com")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


def test_register_refuses_a_duplicate_email_case_insensitively(api_client, user):
    response = api_client.post(REGISTER, {"email": "ALICE@example.com", "password": PASSWORD})

    assert_problem(response, 409)
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "user@localhost", "password": PASSWORD}, "email"),
        ({"email": "a" * 250 + "@x.io", "password": PASSWORD}, "email"),
        ({"email": 42, "password": PASSWORD}, "email"),
        ({"password": PASSWORD}, "email"),
        ({"email": "bob@example.com", "password": "x" * 11}, "password"),
        ({"email": "bob@example.com", "password": "x" * 129}, "password"),
        ({"email": "bob@example.com", "password": 123456789012}, "password"),
        ({"email": "bob@example.com", "password": None}, "password"),
        ({"email": "bob@example.com", "password": PASSWORD, "is_staff": True}, "is_staff"),
    ],
)
def test_register_rejects_invalid_input(api_client, payload, field):
    body = assert_problem(api_client.post(REGISTER, payload), 422)

    assert field in {error["field"] for error in body["errors"]}
    assert all(error["message"] for error in body["errors"])
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["x" * 12, "é" * 128])
def test_register_accepts_passwords_at_the_length_limits(api_client, password):
    response = api_client.post(REGISTER, {"email": "bob@example.com", "password": password})

    assert response.status_code == 201


@pytest.mark.parametrize("payload", ["[]", '["email"]', '"text"', "1", "null"])
def test_register_rejects_json_that_is_not_an_object(api_client, payload):
    response = api_client.post(REGISTER, payload, content_type="application/json")

    body = assert_problem(response, 422)

    assert body["errors"][0]["field"] == ""


def test_login_returns_a_bearer_token_for_the_user(api_client, user):
    response = api_client.post(LOGIN, {"email": " Alice@Example.com", "password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.JWT_TTL_SECONDS <= 900
    claims = jwt.decode(
        body["access_token"],
        settings.JWT_SECRET,
        algorithms=["HS256"],
        audience=settings.JWT_AUDIENCE,
        issuer=settings.JWT_ISSUER,
    )
    assert claims["sub"] == str(user.pk)
    assert claims["exp"] - claims["iat"] == body["expires_in"]


def test_login_failures_look_the_same_for_unknown_user_and_wrong_password(api_client, user):
    wrong_password = api_client.post(LOGIN, {"email": user.email, "password": "wrong" * 4})
    unknown_user = api_client.post(LOGIN, {"email": "nobody@example.com", "password": PASSWORD})

    assert_problem(wrong_password, 401)
    assert_problem(unknown_user, 401)
    assert wrong_password.content == unknown_user.content
    assert wrong_password["WWW-Authenticate"] == "Bearer"


def test_login_refuses_inactive_users(api_client, user):
    user.is_active = False
    user.save()

    assert_problem(api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}), 401)


def test_login_validates_the_body_shape(api_client):
    body = assert_problem(api_client.post(LOGIN, {"email": "a@example.com"}), 422)

    assert [error["field"] for error in body["errors"]] == ["password"]


def test_login_ignores_a_stale_token(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = api_client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 200


def test_me_returns_the_token_owner(auth_client, user):
    response = auth_client.get(ME)

    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "email": user.email}


def test_a_token_from_login_opens_me(api_client, user):
    token = api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}).json()

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['access_token']}")

    assert api_client.get(ME).json()["id"] == user.pk


def test_me_requires_a_token(api_client):
    response = api_client.get(ME)

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
