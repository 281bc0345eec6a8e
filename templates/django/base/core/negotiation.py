"""Content negotiation for a JSON-only API."""

from __future__ import annotations

from collections.abc import Iterable

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class JSONOnlyContentNegotiation(DefaultContentNegotiation):
    """Always answer JSON, whatever the Accept header asks for.

    Request bodies are still negotiated by DRF: a Content-Type other than
    application/json is answered with 415.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type
