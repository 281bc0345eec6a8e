import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy import select

from app import passwords
from app.auth import authenticate, current_user
from app.database import db_session
from app.models import User
from app.tokens import verify_token

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"
PASSWORD = "correct horse battery staple"
# 64 + 1 + 64 + 64 + 61 = 254 characters: the longest address there can be.
LONGEST_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 61


def test_register_creates_an_account_with_a_lower_cased_email(client: FlaskClient) -> None:
    response = client.post(REGISTER, json={"email": "Ada@Example.COM", "password": PASSWORD})
    assert response.status_code == 201
    assert response.json == {"id": response.json["id"], "email": "ada@example.com"}
    assert isinstance(response.json["id"], int)


@pytest.mark.parametrize(
    "email",
    [
        "o'neil+tag@mail.example.co.uk",
        "!#$%&'*+/=?^_`{|}~-@x-1.example",
        "a" * 64 + "@example.com",  # the longest local part
        LONGEST_EMAIL,
        "a@b.co",
    ],
)
def test_register_accepts_every_address_the_rule_allows(client: FlaskClient, email: str) -> None:
    response = client.post(REGISTER, json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.json
    assert response.json["email"] == email.lower()


def test_register_stores_an_argon2id_hash_with_the_pinned_parameters(client, app) -> None:
    client.post(REGISTER, json={"email": "ada@example.com", "password": PASSWORD})
    with app.app_context():
        stored = db_session().scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored


def test_register_refuses_a_duplicate_email_whatever_its_case(client: FlaskClient) -> None:
    client.post(REGISTER, json={"email": "ada@example.com", "password": PASSWORD})
    response = client.post(REGISTER, json={"email": "ADA@example.com", "password": PASSWORD})
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "Conflict"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "ada@example", "password": PASSWORD}, "email"),
        ({"email": "a b@example.com", "password": PASSWORD}, "email"),
        ({"email": LONGEST_EMAIL + "e", "password": PASSWORD}, "email"),
        ({"email": "a" * 65 + "@example.com", "password": PASSWORD}, "email"),
        ({"email": "a@" + "b" * 64 + ".com", "password": PASSWORD}, "email"),
        # Not trimmed: surrounding whitespace is refused, not silently removed.
        ({"email": " ada@example.com", "password": PASSWORD}, "email"),
        ({"email": "ada@example.com\n", "password": PASSWORD}, "email"),
        # ASCII only: lower-casing "İ" would even change the length.
        ({"email": "İ" * 130 + "@x.com", "password": PASSWORD}, "email"),
        ({"email": "josé@example.com", "password": PASSWORD}, "email"),
        ({"email": "a@exämple.com", "password": PASSWORD}, "email"),
        ({"email": "0@0.com*", "password": PASSWORD}, "email"),
        ({"email": "a..b@x.com", "password": PASSWORD}, "email"),
        ({"email": ".a@x.com", "password": PASSWORD}, "email"),
        ({"email": "a@-x.com", "password": PASSWORD}, "email"),
        ({"email": "a@x-.com", "password": PASSWORD}, "email"),
        ({"email": "a@x..com", "password": PASSWORD}, "email"),
        ({"email": "ada\u0000@example.com", "password": PASSWORD}, "email"),
        ({"email": 42, "password": PASSWORD}, "email"),
        ({"email": "ada@example.com", "password": PASSWORD + "\u0000"}, "password"),
        ({"email": "ada@example.com", "password": "x" * 11}, "password"),
        ({"email": "ada@example.com", "password": "x" * 129}, "password"),
        ({"email": "ada@example.com", "password": 123456789012345}, "password"),
        ({"email": "ada@example.com"}, "password"),
        ({"password": PASSWORD}, "email"),
        ({"email": "ada@example.com", "password": PASSWORD, "admin": True}, "admin"),
    ],
)
def test_register_rejects_invalid_input(client: FlaskClient, body: dict, field: str) -> None:
    response = client.post(REGISTER, json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in [error["field"] for error in response.json["errors"]]


def test_password_length_counts_code_points(client: FlaskClient) -> None:
    # 12 code points, 48 bytes in UTF-8.
    response = client.post(REGISTER, json={"email": "emoji@example.com", "password": "🔑" * 12})
    assert response.status_code == 201


@pytest.mark.parametrize(
    "password",
    [
        "123456789012",  # in security/common-passwords.txt
        "PassWord1234",  # compared case-insensitively
        "CorrectHorseBatteryStaple",
        "Long.Address@Example.com",  # the email itself
    ],
)
def test_register_refuses_a_common_password_or_the_email(client, password: str) -> None:
    body = {"email": "long.address@example.com", "password": password}
    response = client.post(REGISTER, json=body)
    assert response.status_code == 422
    assert [error["field"] for error in response.json["errors"]] == ["password"]


def test_the_common_password_list_is_read_from_the_shipped_file() -> None:
    listed = passwords.COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    entries = [line for line in listed if line and not line.startswith("#")]
    assert len(entries) > 50
    assert set(entries) == passwords.common_passwords()


def test_login_returns_a_bearer_token(client: FlaskClient, settings) -> None:
    created = client.post(REGISTER, json={"email": "ada@example.com", "password": PASSWORD}).json
    response = client.post(LOGIN, json={"email": "ADA@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json["token_type"] == "Bearer"
    assert response.json["expires_in"] == settings.jwt_ttl_seconds
    assert verify_token(response.json["access_token"], settings).user_id == created["id"]


def test_login_failures_look_the_same_for_unknown_users_and_wrong_passwords(
    client: FlaskClient,
) -> None:
    client.post(REGISTER, json={"email": "ada@example.com", "password": PASSWORD})
    wrong_password = client.post(LOGIN, json={"email": "ada@example.com", "password": "nope" * 4})
    unknown_user = client.post(LOGIN, json={"email": "bob@example.com", "password": PASSWORD})
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json == unknown_user.json
    assert wrong_password.headers["WWW-Authenticate"] == "Bearer"


def test_an_unknown_email_is_verified_against_a_dummy_hash(client, monkeypatch) -> None:
    # Without a hash to check, the failure would answer faster than a wrong password does.
    verified: list[str] = []
    real_verify = PasswordHasher.verify

    def spy(self: PasswordHasher, password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return real_verify(self, password_hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    response = client.post(LOGIN, json={"email": "nobody@example.com", "password": PASSWORD})
    assert response.status_code == 401
    assert len(verified) == 1
    assert verified[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize(
    "email",
    [
        " kim@example.com",  # not trimmed: no such account
        "\u212aim@example.com",  # the Kelvin sign, which str.lower() turns into a "k"
    ],
)
def test_login_compares_emails_exactly_but_for_ascii_case(client, email: str) -> None:
    client.post(REGISTER, json={"email": "kim@example.com", "password": PASSWORD})
    right = client.post(LOGIN, json={"email": "KIM@Example.com", "password": PASSWORD})
    assert right.status_code == 200
    assert client.post(LOGIN, json={"email": email, "password": PASSWORD}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "ada@example.com"}, "password"),
        ({"email": "ada@example.com", "password": ""}, "password"),
        ({"email": "ada@example.com", "password": ["x"]}, "password"),
        ({"email": "ada@example.com", "password": "nul\u0000byte"}, "password"),
        ({"email": "", "password": PASSWORD}, "email"),
        ({"email": "a" * 255, "password": PASSWORD}, "email"),
        ({"email": "ada\u0000@example.com", "password": PASSWORD}, "email"),
        ({"email": "ada@example.com", "password": PASSWORD, "remember": True}, "remember"),
    ],
)
def test_login_rejects_invalid_input(client: FlaskClient, body: dict, field: str) -> None:
    response = client.post(LOGIN, json=body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json["errors"]]


def test_login_upgrades_a_hash_made_with_weaker_parameters(client: FlaskClient, app) -> None:
    client.post(REGISTER, json={"email": "ada@example.com", "password": PASSWORD})
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with app.app_context():
        session = db_session()
        session.scalars(select(User)).one().password_hash = weak
        session.commit()

    login = client.post(LOGIN, json={"email": "ada@example.com", "password": PASSWORD})
    assert login.status_code == 200
    with app.app_context():
        upgraded = db_session().scalars(select(User.password_hash)).one()
    assert upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_me_returns_the_token_owner(client: FlaskClient, account) -> None:
    response = client.get(ME, headers=account.headers)
    assert response.status_code == 200
    assert response.json == {"id": account.id, "email": account.email}


def test_current_user_is_the_token_owners_account(app, account) -> None:
    # For a view of your own that reads the account rather than its id.
    with app.test_request_context(ME, headers=account.headers):
        authenticate()
        user = current_user()
        assert (user.id, user.email) == (account.id, account.email)
        assert current_user() is user  # loaded once per request


def test_me_requires_a_token(client: FlaskClient) -> None:
    response = client.get(ME)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
