"""requirements*.txt (for pip) are exported from uv.lock: a differing pin is a stale export."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        normalized(package["name"]): package["version"]
        for package in lock["package"]
        if normalized(package["name"]) != normalized(project["name"])
    }


def pins(file: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / file).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[normalized(match[1])] = match[2]
    return found


def test_the_exported_pins_match_the_lock() -> None:
    locked = locked_versions()
    for file in ("requirements.txt", "requirements-dev.txt"):
        stale = {
            name: version
            for name, version in pins(file).items()
            if name in locked and locked[name] != version
        }
        assert stale == {}, f"{file} is older than uv.lock: run the export commands in its header"


def test_every_locked_package_is_exported() -> None:
    assert set(locked_versions()) <= set(pins("requirements-dev.txt"))
