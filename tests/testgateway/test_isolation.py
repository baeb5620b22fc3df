"""The gateway stands for an outside service: it must not reach into the app it is paid by."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "hsa" / "testgateway"
FORBIDDEN = ("hsa.models", "hsa.services", "hsa.state", "hsa.db", "hsa.api", "hsa.settings", "reflex", "sqlmodel")


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


MODULES = sorted(PACKAGE.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_imports_nothing_from_the_app(path: Path) -> None:
    bad = {i for i in imports(path) for f in FORBIDDEN if i == f or i.startswith(f + ".")}
    assert not bad, f"{path.name} imports {sorted(bad)}"
    assert {i for i in imports(path) if i.startswith("hsa.") and not i.startswith("hsa.testgateway")} == set()


def test_package_has_its_modules() -> None:
    assert {p.name for p in MODULES} >= {"__init__.py", "__main__.py", "app.py", "store.py", "webhooks.py",
                                         "pages.py", "runner.py"}


def test_command_line_defaults_come_from_the_app_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from hsa.testgateway.__main__ import parse_config

    monkeypatch.setenv("HSA_RAZORPAY_KEY_ID", "rzp_test_env")
    monkeypatch.setenv("HSA_RAZORPAY_KEY_SECRET", "env_secret")
    monkeypatch.delenv("HSA_RAZORPAY_WEBHOOK_SECRET", raising=False)
    config, host, port = parse_config(["--port", "8791", "--webhook-url", "http://127.0.0.1:3000/hook",
                                       "--db", "/tmp/gw.db", "--webhook-retry-delays", "0.1,0.2"])
    assert (host, port) == ("127.0.0.1", 8791)
    assert (config.key_id, config.key_secret, config.webhook_secret) == (
        "rzp_test_env", "env_secret", "homeserve_webhook_secret")
    assert (config.webhook_url, config.db_path, config.webhook_retry_delays) == (
        "http://127.0.0.1:3000/hook", "/tmp/gw.db", (0.1, 0.2))
