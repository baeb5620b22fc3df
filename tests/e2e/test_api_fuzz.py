"""Property-based fuzzing of the whole OpenAPI document against the running server (schemathesis).

Every operation gets generated requests as a logged-in customer: no response may be a 5xx,
and every response must match its documented status code, content type and schema.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import select

from hsa.models import User, utcnow
from hsa.services import accounts
from tests.e2e.conftest import Server

not_a_server_error = next(c for c in CHECKS.get_all() if c.__name__ == "not_a_server_error")
FUZZ_PASSWORD = "Quartz-Harbor-Lime-8"
CHECKED = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="session")
def api_schema(server: Server):  # noqa: ANN201 - schemathesis schema object
    return schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")


@pytest.fixture(scope="session")
def fuzz_token(server: Server) -> str:
    """A customer of its own, so fuzzed cancels and edits touch nobody else's data."""
    with server.session() as s:
        accounts.register_customer(session=s, actor=None, data={
            "full_name": "Fuzz Tester", "email": "fuzz@example.com", "phone": "9800011122",
            "password": FUZZ_PASSWORD, "address": "1 Fuzz Lane, Indiranagar", "pincode": "560038"})
        fuzzer = s.exec(select(User).where(User.email == "fuzz@example.com")).one()
        fuzzer.email_verified_at = fuzzer.phone_verified_at = utcnow()  # as if both were proven (#17)
        s.add(fuzzer)
        s.commit()
    request = urllib.request.Request(f"{server.url}/api/v1/auth/token", method="POST",
                                     data=json.dumps({"email": "fuzz@example.com",
                                                      "password": FUZZ_PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["access_token"]


def test_api_conforms_to_its_schema(api_schema, fuzz_token: str, server: Server) -> None:  # noqa: ANN001
    """Hypothesis drives each operation's strategy; failures are collected across all operations."""
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) == ("DELETE", "/auth/token"):
            continue  # would revoke the fuzzing token itself
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def fuzz(case) -> None:  # noqa: ANN001
            case.call_and_validate(base_url=f"{server.url}/api/v1",
                                   headers={"Authorization": f"Bearer {fuzz_token}"}, checks=CHECKED)

        try:
            fuzz()
        except Exception as exc:  # noqa: BLE001 - report every failing operation, not just the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
