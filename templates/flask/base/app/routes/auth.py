"""Accounts and access tokens: /api/v1/auth."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..auth import current_user, login_required
from ..config import Settings
from ..database import db_session
from ..errors import ProblemError, unauthorized
from ..models import User
from ..passwords import hash_password, needs_rehash, verify_password
from ..schemas import LoginRequest, RegisterRequest
from ..throttle import LoginThrottle
from ..tokens import issue_token
from ..validation import parse_json

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")


@bp.post("/register")
def register() -> tuple[Response, int]:
    payload = parse_json(RegisterRequest)
    session = db_session()
    user = User(email=payload.email, password_hash=hash_password(payload.password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        # The unique constraint decides, so two simultaneous sign-ups cannot both win.
        session.rollback()
        raise ProblemError(409, "An account with this email already exists.") from None
    return jsonify(id=user.id, email=user.email), 201


@bp.post("/login")
def login() -> Response:
    payload = parse_json(LoginRequest)
    email = payload.email.strip().lower()
    client = request.remote_addr or "unknown"
    throttle: LoginThrottle = current_app.extensions["login_throttle"]
    retry_after = throttle.retry_after(client, email)
    if retry_after is not None:
        raise ProblemError(
            429,
            "Too many failed login attempts. Try again later.",
            headers={"Retry-After": str(retry_after)},
        )

    session = db_session()
    user = session.scalar(select(User).where(User.email == email))
    # An unknown email is checked against a dummy hash: both failures cost the same time.
    password_ok = verify_password(user.password_hash if user else None, payload.password)
    if user is None or not password_ok:
        throttle.record_failure(client, email)
        raise unauthorized("Invalid email or password.")

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
    user = current_user()
    return jsonify(id=user.id, email=user.email)
