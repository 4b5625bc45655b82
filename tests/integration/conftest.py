"""Fixtures shared by the integration tests beyond tests/conftest.py."""

from tests.tamper import audited

__all__ = ["audited"]
