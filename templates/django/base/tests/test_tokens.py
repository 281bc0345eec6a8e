"""Every way a bearer token can be wrong gives the same 401."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from django.conf import settings
from django.test import override_settings

from accounts.tokens import issue_access_token
from tests.helpers import assert_problem

ME = "/api/v1/auth/me"

pytestmark = pytest.mark.django_db


def claims_for(user, **overrides):
    now = int(time.time())
    claims = {
        "sub": str(user.pk),
        "iat": now,
        "exp": now + 300,
        "iss": settings.JWT_ISSUER,
        "aud": settings.JWT_AUDIENCE,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def sign(claims, key=None, algorithm="HS256"):
    return jwt.encode(claims, key or settings.JWT_SECRET, algorithm=algorithm)


def unsigned(claims):
    """A token with ``alg: none`` and an empty signature."""

    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def tampered(claims):
    """A validly signed token whose payload was then changed."""
    header, _, signature = sign(claims).split(".")
    payload = sign({**claims, "sub": "1" + claims["sub"]}).split(".")[1]
    return f"{header}.{payload}.{signature}"


def get_me(api_client, authorization):
    return api_client.get(ME, HTTP_AUTHORIZATION=authorization)


def test_a_valid_token_is_accepted(api_client, user):
    assert get_me(api_client, f"Bearer {sign(claims_for(user))}").status_code == 200


def test_the_scheme_is_case_insensitive(api_client, user):
    assert get_me(api_client, f"bearer {sign(claims_for(user))}").status_code == 200


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda u: sign(claims_for(u, exp=int(time.time()) - 10)), id="expired"),
        pytest.param(lambda u: sign(claims_for(u), key="k" * 48), id="wrong-key"),
        pytest.param(lambda u: unsigned(claims_for(u)), id="alg-none"),
        pytest.param(lambda u: sign(claims_for(u), algorithm="HS512"), id="other-algorithm"),
        pytest.param(lambda u: sign(claims_for(u, aud="someone-else")), id="wrong-audience"),
        pytest.param(lambda u: sign(claims_for(u, iss="someone-else")), id="wrong-issuer"),
        pytest.param(lambda u: sign(claims_for(u, exp=None)), id="no-expiry"),
        pytest.param(lambda u: sign(claims_for(u, aud=None)), id="no-audience"),
        pytest.param(lambda u: sign(claims_for(u, sub=None)), id="no-subject"),
        pytest.param(lambda u: sign(claims_for(u, sub="abc")), id="subject-not-an-id"),
        pytest.param(lambda u: sign(claims_for(u, sub=str(u.pk + 1000))), id="unknown-user"),
        pytest.param(
            lambda u: sign(claims_for(u, exp=int(time.time()) + 3600)), id="lifetime-over-15-min"
        ),
        pytest.param(
            lambda u: sign(claims_for(u, exp=str(int(time.time()) + 300))), id="exp-numeric-string"
        ),
        pytest.param(
            lambda u: sign(claims_for(u, iat=str(int(time.time())))), id="iat-numeric-string"
        ),
        pytest.param(lambda u: sign(claims_for(u, exp=time.time() + 300)), id="exp-not-integer"),
        pytest.param(lambda u: sign(claims_for(u, sub=" 1")), id="subject-with-a-space"),
        pytest.param(lambda u: tampered(claims_for(u)), id="tampered-payload"),
        pytest.param(lambda u: "not.a.jwt", id="garbage"),
    ],
)
def test_invalid_tokens_are_refused(api_client, user, make_token):
    response = get_me(api_client, f"Bearer {make_token(user)}")

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("authorization", ["Bearer", "Bearer ", "Basic YWxpY2U6cHc=", "Token x"])
def test_malformed_or_foreign_authorization_headers_are_refused(api_client, user, authorization):
    response = get_me(api_client, authorization)

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


@override_settings(JWT_TTL_SECONDS=300)
def test_tokens_may_not_outlive_the_configured_lifetime(api_client, user):
    now = int(time.time())
    at_the_limit = sign(claims_for(user, iat=now, exp=now + 300))
    beyond_it = sign(claims_for(user, iat=now, exp=now + 301))

    assert get_me(api_client, f"Bearer {at_the_limit}").status_code == 200
    assert_problem(get_me(api_client, f"Bearer {beyond_it}"), 401)


def test_two_authorization_headers_are_refused(api_client, user):
    token = sign(claims_for(user))

    # A server joins repeated headers with a comma (RFC 9110, section 5.3).
    response = get_me(api_client, f"Bearer {token},Bearer {token}")

    assert_problem(response, 401)


def test_tokens_of_deleted_users_are_refused(api_client, user):
    token = issue_access_token(user.pk).token
    user.delete()

    assert_problem(get_me(api_client, f"Bearer {token}"), 401)


def test_tokens_of_deactivated_users_are_refused(api_client, user):
    token = issue_access_token(user.pk).token
    user.is_active = False
    user.save()

    assert_problem(get_me(api_client, f"Bearer {token}"), 401)
