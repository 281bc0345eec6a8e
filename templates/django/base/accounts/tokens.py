"""JWT access tokens (PyJWT, HS256).

Verification pins the algorithm (so ``alg: none`` and RS/HS confusion are refused),
requires every claim, checks ``iss`` and ``aud``, and rejects tokens meant to live
longer than the configured lifetime (JWT_TTL_SECONDS) even when correctly signed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from django.conf import settings

from core.converters import ID_PATTERN

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "iss", "aud"]


class InvalidToken(Exception):
    """The token is malformed, expired, wrongly signed or not meant for this service."""


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int


def issue_access_token(user_id: int) -> AccessToken:
    now = int(time.time())
    ttl = settings.JWT_TTL_SECONDS
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + ttl,
        "iss": settings.JWT_ISSUER,
        "aud": settings.JWT_AUDIENCE,
    }
    return AccessToken(jwt.encode(claims, settings.JWT_SECRET, algorithm=ALGORITHM), ttl)


def user_id_from_token(token: str) -> int:
    """The user id in ``sub`` of a valid token; raises InvalidToken otherwise."""
    try:
        claims = jwt.decode(
            token,
            settings.JWT_SECRET,
            algorithms=[ALGORITHM],
            audience=settings.JWT_AUDIENCE,
            issuer=settings.JWT_ISSUER,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.InvalidTokenError as exc:
        raise InvalidToken(str(exc)) from exc
    issued_at, expires_at = claims["iat"], claims["exp"]
    # PyJWT also accepts floats and numeric strings ("exp": "1767323045"); ours are integers.
    if not (type(issued_at) is int and type(expires_at) is int):
        raise InvalidToken("iat and exp must be integers.")
    if expires_at - issued_at > settings.JWT_TTL_SECONDS:
        raise InvalidToken("Token lifetime exceeds JWT_TTL_SECONDS.")
    subject = claims["sub"]
    if not (isinstance(subject, str) and ID_PATTERN.fullmatch(subject)):
        raise InvalidToken("Subject is not a user id.")
    return int(subject)
