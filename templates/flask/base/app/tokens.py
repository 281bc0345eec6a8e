"""Access tokens: HS256 JWTs with `sub`, `iat`, `exp`, `iss` and `aud`."""

from __future__ import annotations

import time

import jwt

from .config import Settings
from .models import MAX_ID

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "iss", "aud"]


class InvalidTokenError(Exception):
    """The token is missing a claim, expired, forged or not meant for this API."""


def issue_token(user_id: int, settings: Settings) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + settings.jwt_ttl_seconds,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


def verify_token(token: str, settings: Settings) -> int:
    """Return the user id the token was issued to, or raise InvalidTokenError."""
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            # Pinned: the token's own `alg` header is never trusted (no `none`, no RS/HS confusion).
            algorithms=[ALGORITHM],
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from None
    iat, exp, sub = claims["iat"], claims["exp"], claims["sub"]
    # PyJWT takes "1700000000" and 1.7e9 for numbers; the format says JSON integers.
    if type(iat) is not int or type(exp) is not int:
        raise InvalidTokenError("iat and exp must be integers")
    # A token may not outlive what this server issues, whoever signed it.
    if exp - iat > settings.jwt_ttl_seconds:
        raise InvalidTokenError("token lifetime exceeds the allowed maximum")
    if not (isinstance(sub, str) and sub.isascii() and sub.isdecimal() and len(sub) <= 10):
        raise InvalidTokenError("sub is not a user id")
    user_id = int(sub)
    if not 1 <= user_id <= MAX_ID:
        raise InvalidTokenError("sub is not a user id")
    return user_id
