"""Whether an admin exists is known from an index, without scanning the feed."""

from __future__ import annotations

from infrastructure.bootstrap import Runtime
from tests.support import create_user


def test_the_service_knows_when_its_first_admin_exists(runtime: Runtime) -> None:
    assert runtime.app.has_admin() is False
    create_user(runtime, "auditor", "auditor")
    assert runtime.app.has_admin() is False
    create_user(runtime, "admin", "admin")
    assert runtime.app.has_admin() is True
