"""The Django admin is off the public API: routed only at DJANGO_ADMIN_PATH."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

import pytest
from django.urls import clear_url_caches

import config.urls
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def mount_admin(settings) -> Iterator[Callable[[str], None]]:
    def mount(path: str) -> None:
        settings.ADMIN_PATH = path
        importlib.reload(config.urls)
        clear_url_caches()

    original = settings.ADMIN_PATH
    yield mount
    mount(original)


def test_no_admin_without_a_path(api_client, mount_admin):
    mount_admin("")

    assert_problem(api_client.get("/manage-4f9c/login/"), 404)
    assert_problem(api_client.get("/admin/login/"), 404)


def test_the_admin_is_served_at_the_configured_path(api_client, mount_admin):
    mount_admin("manage-4f9c")

    response = api_client.get("/manage-4f9c/login/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Frame-Options"] == "DENY"
    # Its own stylesheets and scripts may load; nothing else, and never in a frame.
    assert response["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'"
