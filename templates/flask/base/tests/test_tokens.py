"""Every way a bearer token can be wrong ends in the same 401."""

import base64
import json
import time
from dataclasses import replace
from typing import Any

import jwt
import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete

from app.config import Settings
from app.database import db_session
from app.models import User
from app.tokens import issue_token

ME = "/api/v1/auth/me"


def claims_for(user_id: int, settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + 300,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def sign(claims: dict[str, Any], key: str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def unsigned(claims: dict[str, Any]) -> str:
    """A token with `alg: none` and an empty signature."""

    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def me(client: FlaskClient, token: str) -> int:
    response = client.get(ME, headers={"Authorization": f"Bearer {token}"})
    if response.status_code == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.mimetype == "application/problem+json"
    return response.status_code


def test_a_well_formed_token_is_accepted(client, account, settings) -> None:
    # The control case: the helpers below only change one thing each.
    assert me(client, sign(claims_for(account.id, settings), settings.jwt_secret)) == 200


def test_issued_tokens_carry_the_expected_claims(account, settings) -> None:
    token = issue_token(account.id, settings)
    claims = jwt.decode(
        token,
        settings.jwt_secret,
        algorithms=["HS256"],
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
    )
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert claims["sub"] == str(account.id)
    assert 0 < claims["exp"] - claims["iat"] <= 900


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("expired", {"iat": int(time.time()) - 1000, "exp": int(time.time()) - 100}),
        ("wrong issuer", {"iss": "someone-else"}),
        ("wrong audience", {"aud": "another-api"}),
        ("missing issuer", {"iss": None}),
        ("missing audience", {"aud": None}),
        ("missing expiry", {"exp": None}),
        ("missing subject", {"sub": None}),
        ("lifetime over 900 s", {"exp": int(time.time()) + 3600}),
        ("a year of lifetime", {"iat": int(time.time()) - 60, "exp": int(time.time()) + 31536000}),
        ("subject not a user id", {"sub": "admin"}),
        ("iat as a numeric string", {"iat": str(int(time.time()))}),
        ("exp as a numeric string", {"exp": str(int(time.time()) + 300)}),
        ("iat as a fraction", {"iat": time.time()}),
        ("exp as a fraction", {"exp": time.time() + 300.5}),
        ("iat as a boolean", {"iat": True}),
    ],
)
def test_bad_claims_are_refused(client, account, settings, name: str, overrides: dict) -> None:
    token = sign(claims_for(account.id, settings, **overrides), settings.jwt_secret)
    assert me(client, token) == 401, name


def test_a_token_may_not_outlive_the_configured_lifetime(make_app, account, settings) -> None:
    client = make_app(replace(settings, jwt_ttl_seconds=300)).test_client()
    now = int(time.time())
    within = claims_for(account.id, settings, iat=now, exp=now + 300)
    beyond = claims_for(account.id, settings, iat=now, exp=now + 301)
    assert me(client, sign(within, settings.jwt_secret)) == 200
    assert me(client, sign(beyond, settings.jwt_secret)) == 401


def test_two_authorization_headers_are_refused(client, account) -> None:
    headers = [("Authorization", account.headers["Authorization"])] * 2
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json["detail"] == "Send exactly one Authorization header."


def test_a_token_signed_with_another_key_is_refused(client, account, settings) -> None:
    token = sign(claims_for(account.id, settings), "another-secret-of-sufficient-length-0123")
    assert me(client, token) == 401


def test_alg_none_is_refused(client, account, settings) -> None:
    assert me(client, unsigned(claims_for(account.id, settings))) == 401


def test_another_algorithm_is_refused_even_with_the_right_key(client, account, settings) -> None:
    token = sign(claims_for(account.id, settings), settings.jwt_secret, algorithm="HS512")
    assert me(client, token) == 401


def test_a_token_for_a_deleted_user_is_refused(client, app, account, settings) -> None:
    token = sign(claims_for(account.id, settings), settings.jwt_secret)
    assert me(client, token) == 200  # verified, and so remembered
    with app.app_context():
        session = db_session()
        session.execute(delete(User).where(User.id == account.id))
        session.commit()
    assert me(client, token) == 401


def test_a_remembered_token_is_refused_once_it_expires(client, account, settings) -> None:
    now = int(time.time())
    token = sign(claims_for(account.id, settings, iat=now, exp=now + 1), settings.jwt_secret)
    assert me(client, token) == 200
    time.sleep(now + 1 - time.time() + 0.05)
    assert me(client, token) == 401


def test_a_deleted_users_id_is_not_given_to_the_next_account(client, app, make_account) -> None:
    gone = make_account()
    with app.app_context():
        session = db_session()
        session.execute(delete(User).where(User.id == gone.id))
        session.commit()
    newcomer = make_account()
    assert newcomer.id > gone.id
    assert client.get(ME, headers=gone.headers).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-jwt", "Token abc.def.ghi"],
)
def test_malformed_authorization_headers_are_refused(client: FlaskClient, header: str) -> None:
    response = client.get(ME, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
