"""Password hashing with argon2id, and the passwords registration refuses."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from .config import PROJECT_ROOT

COMMON_PASSWORDS_FILE = PROJECT_ROOT / "security" / "common-passwords.txt"

# Pinned explicitly (OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane) so a
# library upgrade never changes them silently. Raising them later is safe:
# `needs_rehash` upgrades stored hashes at the next successful login.
_hasher = PasswordHasher(
    time_cost=2,
    memory_cost=19_456,
    parallelism=1,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check `password`; with no hash (unknown user) spend the same time and fail."""
    try:
        matched = _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    # Verified against for unknown emails, so timing does not reveal which accounts exist.
    return _hasher.hash("not a real password, only spends time")


@cache
def common_passwords() -> frozenset[str]:
    """The lower-cased entries of security/common-passwords.txt, read once (at start-up)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def prepare() -> None:
    """Read the list and make the dummy hash now, so no request pays for either."""
    common_passwords()
    _dummy_hash()


def password_problem(password: str, email: str) -> str | None:
    """Why registration refuses `password` for `email`, or None when it is acceptable."""
    lowered = password.lower()
    if lowered in common_passwords():
        return "This password is too common: choose another one."
    if lowered == email.lower():
        return "The password must not be the email address."
    return None
