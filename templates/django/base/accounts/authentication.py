"""``Authorization: Bearer <JWT>`` authentication for DRF."""

from __future__ import annotations

from django.db import connection
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts import events
from accounts.models import User
from accounts.tokens import InvalidToken, user_id_from_token

# The users table is named in accounts.models.User.Meta.
ACTIVE_USER = "SELECT id, email FROM users WHERE id = %s AND is_active"
ACTIVE_USER_FIELDS = ("id", "email")


class JWTAuthentication(BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        header = request.headers.get("Authorization")
        if not header:
            return None  # DRF answers 401 "credentials were not provided"
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.keyword:
            return None
        token = token.strip()
        # Two Authorization headers reach Django joined by a comma; a JWT has none.
        if not token or " " in token or "," in token:
            events.record("token.rejected", request)
            raise AuthenticationFailed("Malformed bearer token.")
        try:
            user_id = user_id_from_token(token)
        except InvalidToken:
            events.record("token.rejected", request)
            raise AuthenticationFailed("Invalid or expired token.") from None
        # A user deleted or deactivated since the token was issued is refused, so every
        # request looks its user up: by primary key, in plain SQL (ORM query building cost
        # several times the lookup itself).
        with connection.cursor() as cursor:
            cursor.execute(ACTIVE_USER, [user_id])
            row = cursor.fetchone()
        if row is None:
            events.record("token.rejected", request, user_id)
            raise AuthenticationFailed("Invalid or expired token.")
        # The User the ORM would have loaded; its other columns load if a view reads them.
        return User.from_db(connection.alias, ACTIVE_USER_FIELDS, row), None

    def authenticate_header(self, request: Request) -> str:
        # Sent as WWW-Authenticate on every 401.
        return "Bearer"


class AuthenticatedRequest(Request):
    """A request that passed IsAuthenticated: its ``user`` is a User, never anonymous.

    For type checkers only: views behind IsAuthenticated annotate their request with it.
    """

    user: User
