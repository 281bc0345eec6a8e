"""The test suite; fixtures live in conftest.py, shared helpers in support.py."""
