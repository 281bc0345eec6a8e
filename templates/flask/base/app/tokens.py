"""Access tokens: HS256 JWTs with `sub`, `iat`, `exp`, `iss` and `aud`."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import jwt

from .config import Settings
from .models import MAX_ID

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "iss", "aud"]
# Tokens a TokenVerifier remembers; past that, the oldest are verified again when next seen.
REMEMBERED_TOKENS = 4096


class InvalidTokenError(Exception):
    """The token is missing a claim, expired, forged or not meant for this API."""


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    user_id: int
    expires_at: int


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


def verify_token(token: str, settings: Settings) -> VerifiedToken:
    """Return whom the token was issued to and until when, or raise InvalidTokenError."""
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
    return VerifiedToken(user_id, exp)


class TokenVerifier:
    """`verify_token`, remembering the tokens that passed until they expire.

    A client sends the same token with every request for its whole lifetime, and checking
    its signature and claims costs more than the rest of a small request. A token is
    remembered under its exact text, only once it passed every check, and only while it is
    valid: from its `exp` on it is verified from scratch again, and refused. Whether its
    account still exists is checked on every request regardless (app/auth.py).
    """

    def __init__(self, settings: Settings, size: int = REMEMBERED_TOKENS) -> None:
        self._settings = settings
        self._size = size
        self._verified: dict[str, VerifiedToken] = {}
        self._lock = threading.Lock()  # for eviction; single dict operations are atomic

    def user_id(self, token: str) -> int:
        """The id of the user the token was issued to, or raise InvalidTokenError."""
        known = self._verified.get(token)
        if known is not None and time.time() < known.expires_at:
            return known.user_id
        self._verified.pop(token, None)
        verified = verify_token(token, self._settings)
        with self._lock:
            if len(self._verified) >= self._size:
                # Dicts keep insertion order: the first entry is the oldest.
                del self._verified[next(iter(self._verified))]
            self._verified[token] = verified
        return verified.user_id
