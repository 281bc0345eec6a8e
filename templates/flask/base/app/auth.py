"""Bearer-token authentication for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import current_app, g, request
from sqlalchemy import bindparam, select

from . import events
from .database import db_connection, db_session
from .errors import unauthorized
from .models import User
from .tokens import InvalidTokenError, TokenVerifier

# One primary-key lookup that loads no row: the signature proves whom the token was
# issued to, this proves the account still exists (deleted accounts' tokens answer 401).
_USER_EXISTS = select(User.__table__.c.id).where(User.__table__.c.id == bindparam("user_id"))

P = ParamSpec("P")
R = TypeVar("R")


def authenticate() -> None:
    """Put the id of the user named by the request's bearer token in `g.user_id`, or answer 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("A bearer token is required.")
    if "," in token:
        # Repeated Authorization headers reach the application joined by commas, which
        # no JWT contains: which of them would be meant is anyone's guess.
        events.record("token.rejected")
        raise unauthorized("Send exactly one Authorization header.")
    tokens: TokenVerifier = current_app.extensions["tokens"]
    try:
        user_id = tokens.user_id(token.strip())
    except InvalidTokenError:
        events.record("token.rejected")
        raise unauthorized("The token is invalid or has expired.") from None
    # A Core statement on a plain connection: a row, without the ORM's session and execution
    # path, which cost more than this lookup itself.
    if db_connection().scalar(_USER_EXISTS, {"user_id": user_id}) is None:
        events.record("token.rejected", user_id)
        raise unauthorized("The token is invalid or has expired.")
    g.user_id = user_id


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        authenticate()
        return view(*args, **kwargs)

    return wrapper


def current_user_id() -> int:
    """The id of the user the request's token was issued to (after `authenticate`)."""
    user_id: int = g.user_id
    return user_id


def current_user() -> User:
    """The account of the request's user (after `authenticate`), loaded on first use.

    Most views need only `current_user_id()`, which costs no query; this loads the row
    once per request for those that read the account itself.
    """
    user: User | None = g.get("user")
    if user is None:
        user = db_session().get(User, current_user_id())
        if user is None:  # deleted since `authenticate` looked it up
            raise unauthorized("The token is invalid or has expired.")
        g.user = user
    return user
