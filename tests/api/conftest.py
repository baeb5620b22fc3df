"""API tests run the FastAPI app in-process against the per-test SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from hsa.api.app import build_outer


class _Client(TestClient):
    """Ends the test's own transaction before each call: an open SQLite write transaction in
    the test would make the app wait for the lock, as any second writer would."""

    test_session: Session

    def request(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.test_session.commit()
        return super().request(*args, **kwargs)


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    # A real loopback peer address, as behind the documented proxy (tests set HSA_TRUSTED_PROXIES).
    with _Client(build_outer(), base_url="http://testserver/api/v1", client=("127.0.0.1", 50000)) as c:
        c.test_session = session
        yield c
