"""A WSGI app for tests/test_gunicorn_worker.py, served by a real gunicorn.

It writes the path of every request it runs to the file in SLOW_APP_LOG, and ``/slow``
holds its thread for SLOW_APP_SECONDS.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    with open(os.environ["SLOW_APP_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{path}\n")
    if path == "/slow":
        time.sleep(float(os.environ["SLOW_APP_SECONDS"]))
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"status":"ok"}']
