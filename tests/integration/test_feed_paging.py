"""Scans of the global feed page through it in large pages, on both backends."""

from __future__ import annotations

from infrastructure.bootstrap import Runtime
from tests.support import create_user


def test_has_admin_pages_through_the_feed(runtime: Runtime) -> None:
    assert runtime.app.has_admin() is False
    create_user(runtime, "auditor", "auditor")
    assert runtime.app.has_admin() is False
    create_user(runtime, "admin", "admin")
    assert runtime.app.has_admin() is True
