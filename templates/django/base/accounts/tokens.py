"""JWT access tokens (PyJWT, HS256).

Verification pins the algorithm (so ``alg: none`` and RS/HS confusion are refused),
requires every claim, checks ``iss`` and ``aud``, and rejects tokens meant to live
longer than 15 minutes even when correctly signed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from django.conf import settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "iss", "aud"]
MAX_LIFETIME_SECONDS = 900


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
    if claims["exp"] - claims["iat"] > MAX_LIFETIME_SECONDS:
        raise InvalidToken("Token lifetime exceeds 15 minutes.")
    subject = claims["sub"]
    if not (isinstance(subject, str) and subject.isascii() and subject.isdigit()):
        raise InvalidToken("Subject is not a user id.")
    return int(subject)
