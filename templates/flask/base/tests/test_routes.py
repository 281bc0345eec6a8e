"""Drift between the routes Flask serves and openapi.json.

Every rule in the app's URL map is documented with the same path and methods, and every
documented operation is served. A route added without documenting it fails here.
"""

import json
import re

from flask import Flask, jsonify

from app.config import PROJECT_ROOT

# Served but deliberately not in openapi.json: the docs page and its files. Flask's own
# static files, should a static folder be turned on, are skipped below; HEAD (answered
# like GET) and OPTIONS (CORS preflights, app/cors.py) are the framework's, not operations
# of the API.
UNDOCUMENTED_PATHS = {"/docs", "/docs/{}"}
FRAMEWORK_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def served(app: Flask) -> dict[str, set[str]]:
    """Path -> methods, from the URL map; a path may be split over several rules."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        # Path parameters compare by position: Flask's <id:item_id> is the document's {id}.
        path = re.sub(r"<[^>]+>", "{}", rule.rule)
        methods = set(rule.methods or ()) - FRAMEWORK_METHODS
        routes.setdefault(path, set()).update(method.lower() for method in methods)
    return routes


def documented() -> dict[str, set[str]]:
    document = json.loads((PROJECT_ROOT / "openapi.json").read_bytes())
    return {
        re.sub(r"\{[^}]+\}", "{}", path): set(item) & HTTP_METHODS
        for path, item in document["paths"].items()
    }


def test_every_route_is_documented_with_its_methods(app: Flask) -> None:
    routes = served(app)
    for path in UNDOCUMENTED_PATHS:
        assert routes.pop(path, None), f"{path} is no longer served: update UNDOCUMENTED_PATHS"
    spec = documented()

    undocumented = {path: methods for path, methods in routes.items() if path not in spec}
    assert not undocumented, f"served but not in openapi.json: {undocumented}"
    for path, methods in routes.items():
        assert methods == spec[path], f"{path}: served {methods}, documented {spec[path]}"


def test_every_documented_operation_is_served(app: Flask) -> None:
    routes = served(app)

    for path, methods in documented().items():
        assert path in routes, f"{path} is documented but not served"
        assert methods <= routes[path], f"{path}: documented {methods}, served {routes[path]}"


def test_the_comparison_sees_a_route_added_by_hand(app: Flask) -> None:
    # Proof that the check is not vacuous: a route outside openapi.json shows up in it.
    app.add_url_rule("/extra/<id:item_id>", "extra", lambda item_id: jsonify(id=item_id))

    assert served(app)["/extra/{}"] == {"get"}
    assert "/extra/{}" not in documented()
