"""The Django admin's Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class AdminContentSecurityPolicyMiddleware:
    """Lets the admin's HTML pages load their own stylesheets and scripts, and nothing
    else; never in a frame.

    It sits inside core.middleware.SecurityHeadersMiddleware, which keeps the policy set
    here and gives every other response the API's "load nothing" policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.prefix = f"/{settings.ADMIN_PATH}/" if settings.ADMIN_PATH else None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.prefix and request.path.startswith(self.prefix):
            response.headers.setdefault(
                "Content-Security-Policy", settings.ADMIN_CONTENT_SECURITY_POLICY
            )
        return response
