"""Drift between the routes Django serves and openapi.json.

Every route in the URLconf is documented with the same path and methods, and every
documented operation is served. A route added without documenting it fails here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, path

from core.views import HealthView

# Served but deliberately not in openapi.json: the docs page and its files. Django's
# admin, when DJANGO_ADMIN_PATH routes it, is skipped below; HEAD (answered like GET)
# and OPTIONS (CORS preflights) are the framework's, not operations of the API.
UNDOCUMENTED_PATHS = {"/docs", "/docs/{}"}
FRAMEWORK_METHODS = {"head", "options"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def served() -> dict[str, set[str]]:
    """Path -> methods, from Django's URL resolver and each route's view class."""
    routes: dict[str, set[str]] = {}
    for route, callback in _walk(get_resolver().url_patterns, "/"):
        view = getattr(callback, "view_class", None)
        if view is None:  # a plain function answers every method: it cannot match the document
            methods = {"any method (a function view)"}
        else:
            methods = {
                method
                for method in view.http_method_names
                if method not in FRAMEWORK_METHODS and hasattr(view, method)
            }
        # Path parameters compare by position: Django's <id:pk> is the document's {id}.
        routes[re.sub(r"<[^>]+>", "{}", route)] = methods
    return routes


def documented() -> dict[str, set[str]]:
    document = json.loads(settings.OPENAPI_DOCUMENT.read_bytes())
    return {
        re.sub(r"\{[^}]+\}", "{}", path): set(item) & HTTP_METHODS
        for path, item in document["paths"].items()
    }


def test_every_route_is_documented_with_its_methods():
    routes = served()
    for route in UNDOCUMENTED_PATHS:
        assert routes.pop(route, None), f"{route} is no longer served: update UNDOCUMENTED_PATHS"
    spec = documented()

    undocumented = {route: methods for route, methods in routes.items() if route not in spec}
    assert not undocumented, f"served but not in openapi.json: {undocumented}"
    for route, methods in routes.items():
        assert methods == spec[route], f"{route}: served {methods}, documented {spec[route]}"


def test_every_documented_operation_is_served():
    routes = served()

    for route, methods in documented().items():
        assert route in routes, f"{route} is documented but not served"
        assert methods <= routes[route], f"{route}: documented {methods}, served {routes[route]}"


def test_the_comparison_sees_a_route_added_by_hand(monkeypatch):
    # Proof that the check is not vacuous: a route outside openapi.json shows up in it.
    resolver = get_resolver()
    monkeypatch.setattr(
        resolver, "url_patterns", [*resolver.url_patterns, path("extra", HealthView.as_view())]
    )

    assert served()["/extra"] == {"get"}
    assert "/extra" not in documented()
