"""Accounts and access tokens: /api/v1/auth."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import events
from ..auth import current_user_id, login_required
from ..config import Settings
from ..database import db_session
from ..errors import (
    FieldError,
    ProblemError,
    ValidationFailed,
    service_unavailable,
    too_many_requests,
    unauthorized,
)
from ..models import User
from ..passwords import hash_password, needs_rehash, password_problem, verify_password
from ..schemas import LoginRequest, RegisterRequest, ascii_lower
from ..throttle import (
    LOGIN_PER_CLIENT,
    LOGIN_PER_EMAIL,
    REGISTRATIONS_PER_CLIENT,
    Budget,
    StoreUnavailable,
    Throttle,
    Throttled,
    Ticket,
)
from ..tokens import issue_token
from ..validation import parse_json

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")


# How long a client should wait when the rate limit store does not answer.
STORE_RETRY_AFTER_SECONDS = 5


def client_address() -> str:
    """The client address every limit keys on.

    The connection's peer, or the address a peer listed in TRUSTED_PROXIES forwarded
    (app/proxies.py sets it). X-Forwarded-For from anyone else is ignored: any client can
    write one, and a limit keyed on it is escaped by changing it on every request.
    """
    return request.remote_addr or "unknown"


def _throttle() -> Throttle:
    throttle: Throttle = current_app.extensions["throttle"]
    return throttle


def _take(refusal: str, event: str, *budgets: Budget) -> Ticket:
    """Take an attempt from every budget, or answer 429 (spent, logged as ``event``) or
    503 (store unreachable)."""
    try:
        return _throttle().take(*budgets)
    except Throttled as exc:
        events.record(event)
        raise too_many_requests(refusal, exc.retry_after) from None
    except StoreUnavailable:
        # Fail closed: a limit that cannot be counted must not let every attempt through.
        raise service_unavailable(
            "rate limit store unavailable", STORE_RETRY_AFTER_SECONDS
        ) from None


@bp.post("/register")
def register() -> tuple[Response, int]:
    payload = parse_json(RegisterRequest)
    if problem := password_problem(payload.password, payload.email):
        raise ValidationFailed([FieldError("password", problem)])
    # Counted before the (deliberately slow) hash: a valid request is an attempt,
    # whether it ends in 201 or 409.
    _take(
        "Too many registrations. Try again later.",
        "register.throttled",
        (("register", client_address()), REGISTRATIONS_PER_CLIENT),
    )

    session = db_session()
    user = User(email=payload.email, password_hash=hash_password(payload.password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        # The unique constraint decides, so two simultaneous sign-ups cannot both win.
        session.rollback()
        raise ProblemError(409, "An account with this email already exists.") from None
    events.record("register.succeeded", user.id)
    return jsonify(id=user.id, email=user.email), 201


@bp.post("/login")
def login() -> Response:
    payload = parse_json(LoginRequest)
    email = ascii_lower(payload.email)
    client = client_address()
    # One attempt is taken before the password is checked, atomically, so parallel
    # requests cannot verify more passwords than the budget allows.
    ticket = _take(
        "Too many failed login attempts. Try again later.",
        "login.throttled",
        (("login", client, email), LOGIN_PER_EMAIL),
        (("login", client), LOGIN_PER_CLIENT),
    )

    session = db_session()
    user = session.scalar(select(User).where(User.email == email))
    # An unknown email is checked against a dummy hash: both failures cost the same time.
    password_ok = verify_password(user.password_hash if user else None, payload.password)
    if user is None or not password_ok:
        events.record("login.failed")
        raise unauthorized("Invalid email or password.")
    # Only failures count: a successful login gives its attempt back.
    _throttle().give_back(ticket)
    events.record("login.succeeded", user.id)

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(payload.password)
        session.commit()

    settings: Settings = current_app.extensions["settings"]
    return jsonify(
        access_token=issue_token(user.id, settings),
        token_type="Bearer",  # noqa: S106 (the token type, not a secret)
        expires_in=settings.jwt_ttl_seconds,
    )


@bp.get("/me")
@login_required
def me() -> Response:
    user = db_session().get(User, current_user_id())
    if user is None:  # deleted since the token was checked, a moment ago
        raise unauthorized("The token is invalid or has expired.")
    return jsonify(id=user.id, email=user.email)
