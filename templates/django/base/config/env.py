"""Typed access to environment variables.

Every failure names the variable, so a misconfigured deployment stops at boot with a
message that says what to fix. An empty value counts as unset.
"""

from __future__ import annotations

import ipaddress
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})

# Values copied from .env.example or from Django's startproject are never real secrets.
PLACEHOLDER_MARKERS = ("change-me", "changeme", "placeholder", "example", "django-insecure")

GENERATE_HINT = "python3 -c 'import secrets; print(secrets.token_urlsafe(64))'"
# A random secret of 32 or more characters has far more; "aaaa…" or "abab…" has not.
MIN_DISTINCT_CHARACTERS = 10


def load_dotenv_file() -> None:
    """Load the project's .env for local development; variables already set win.

    Called by the entry points (manage.py, config/wsgi.py), never by the settings: the
    test suite builds its configuration without the developer's .env.
    """
    load_dotenv(Path(__file__).resolve().parent.parent / ".env", override=False)


def _raw(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def get_str(name: str, default: str) -> str:
    return _raw(name) or default


def get_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}.")


def get_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from None
    if not minimum <= number <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}.")
    return number


def get_list(name: str, default: Sequence[str] = ()) -> list[str]:
    """A comma-separated list; surrounding spaces and empty items are dropped."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def get_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """A comma-separated list of CIDR networks; a plain address is a network of one."""
    networks = []
    for item in get_list(name):
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or CIDR networks such as 10.0.0.0/8, "
                f"comma-separated; {item!r} is not one ({exc})."
            ) from None
    return networks


def get_choice(name: str, choices: Sequence[str], default: str) -> str:
    value = get_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def secret_problem(value: str | None, min_length: int) -> str | None:
    """Why ``value`` is not acceptable as a secret, or None when it is."""
    if not value:
        return "is not set"
    if len(value) < min_length:
        return f"is shorter than {min_length} characters"
    if any(marker in value.lower() for marker in PLACEHOLDER_MARKERS):
        return "is a placeholder"
    if len(set(value)) < MIN_DISTINCT_CHARACTERS:
        return f"has fewer than {MIN_DISTINCT_CHARACTERS} distinct characters"
    return None


def get_secret(name: str, *, min_length: int, strict: bool) -> str:
    """Read a secret. A missing secret is always an error; a weak one only when ``strict``.

    Outside production a weak value (for instance one copied from .env.example) is
    accepted with a warning so that a fresh checkout runs; production refuses it.
    """
    value = _raw(name)
    problem = secret_problem(value, min_length)
    if value is not None and problem is None:
        return value
    message = f"{name} {problem}. Set it to a random value, e.g. the output of: {GENERATE_HINT}"
    if strict or value is None:
        raise ImproperlyConfigured(message)
    warnings.warn(f"{message} (accepted outside production)", stacklevel=2)
    return value
