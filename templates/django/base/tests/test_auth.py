from __future__ import annotations

import jwt
import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher

from accounts.models import User
from accounts.passwords import CommonPasswordValidator
from tests.helpers import PASSWORD, assert_problem

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"

pytestmark = pytest.mark.django_db


def test_register_returns_the_new_user(api_client):
    response = api_client.post(REGISTER, {"email": "Bob@Example.COM", "password": PASSWORD})

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
        ({"email": "bob@example.com", "password": PASSWORD + "\x00"}, "password"),
        ({"email": "bob@example.com", "password": PASSWORD, "is_staff": True}, "is_staff"),
    ],
)
def test_register_rejects_invalid_input(api_client, payload, field):
    body = assert_problem(api_client.post(REGISTER, payload), 422)

    assert field in {error["field"] for error in body["errors"]}
    assert all(error["message"] for error in body["errors"])
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "email",
    [
        " bob@example.com",  # surrounding whitespace is refused, not trimmed
        "bob@example.com\n",
        "bob@example.com\x00",
        "josé@example.com",  # ASCII only
        "bob@exämple.com",
        "İ" * 130 + "@x.com",  # lower-cased, 266 characters
        "0@0.com*",
        "a..b@x.com",
        ".bob@example.com",
        "a@-x.com",
        "a@x-.com",
        "a" * 65 + "@example.com",  # the local part has at most 64 characters
        "bob@" + "d" * 64 + ".com",  # a domain label has at most 63
        "bob@example.com@example.com",
    ],
)
def test_register_accepts_only_ascii_addresses_of_the_documented_shape(api_client, email):
    body = assert_problem(api_client.post(REGISTER, {"email": email, "password": PASSWORD}), 422)

    assert [error["field"] for error in body["errors"]] == ["email"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "email",
    ["a@b.co", "o'brien+tag@mail.example.org", "x" * 64 + "@" + ("d" * 63 + ".") * 2 + "com"],
)
def test_register_accepts_addresses_at_the_limits(api_client, fast_hashing, email):
    response = api_client.post(REGISTER, {"email": email, "password": PASSWORD})

    assert response.status_code == 201, response.content
    assert response.json()["email"] == email.lower()


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "PassWord1234",  # compared case-insensitively
        "QWERTYuiopASDF",
        "Bob@Example.com",  # the email itself
    ],
)
def test_register_refuses_common_passwords_and_the_email(api_client, password):
    payload = {"email": "bob@example.com", "password": password}

    body = assert_problem(api_client.post(REGISTER, payload), 422)

    assert [error["field"] for error in body["errors"]] == ["password"]
    assert not User.objects.exists()


def test_the_common_password_list_is_the_shipped_file():
    listed = (settings.BASE_DIR / "security" / "common-passwords.txt").read_text()
    validator = CommonPasswordValidator()

    assert "password1234" in listed.splitlines()
    assert "password1234" in validator.passwords
    assert not any(entry.startswith("#") for entry in validator.passwords)


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
    response = api_client.post(LOGIN, {"email": "Alice@Example.com", "password": PASSWORD})

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


def test_unknown_emails_are_verified_against_a_dummy_hash(api_client, user, verifications):
    api_client.post(LOGIN, {"email": user.email, "password": "wrong password"})
    api_client.post(LOGIN, {"email": "nobody@example.com", "password": "wrong password"})

    # Two verifications of the same cost: Argon2id with the same parameters.
    real, dummy = verifications
    assert dummy != real
    assert dummy.rsplit("$", 2)[0] == real.rsplit("$", 2)[0]


@pytest.mark.parametrize("email", [" alice@example.com", "alice@example.com ", "alice@example"])
def test_login_compares_the_email_as_sent_except_for_case(api_client, user, verifications, email):
    assert_problem(api_client.post(LOGIN, {"email": email, "password": PASSWORD}), 401)


def test_login_refuses_inactive_users(api_client, user, verifications):
    user.is_active = False
    user.save()

    assert_problem(api_client.post(LOGIN, {"email": user.email, "password": PASSWORD}), 401)
    assert len(verifications) == 1


def test_login_validates_the_body_shape(api_client):
    body = assert_problem(api_client.post(LOGIN, {"email": "a@example.com"}), 422)

    assert [error["field"] for error in body["errors"]] == ["password"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "", "password": PASSWORD}, "email"),
        ({"email": "x" * 255, "password": PASSWORD}, "email"),
        ({"email": "alice@example.com\x00", "password": PASSWORD}, "email"),
        ({"email": "alice@example.com", "password": PASSWORD + "\x00"}, "password"),
    ],
)
def test_login_refuses_empty_long_or_nul_strings(api_client, user, payload, field):
    body = assert_problem(api_client.post(LOGIN, payload), 422)

    assert [error["field"] for error in body["errors"]] == [field]


def test_login_takes_any_other_string_as_an_email(api_client, verifications):
    response = api_client.post(LOGIN, {"email": "İ" * 254, "password": PASSWORD})

    assert_problem(response, 401)


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
