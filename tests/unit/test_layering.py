"""Layers depend one way: models <- services <- state <- components/pages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "hsa"

FORBIDDEN = {
    "models": {"reflex", "fastapi", "plotly", "hsa.services", "hsa.state", "hsa.pages", "hsa.components"},
    "services": {"reflex", "fastapi", "plotly", "hsa.state", "hsa.pages", "hsa.components"},
    "state": {"hsa.pages", "hsa.components", "sqlalchemy", "sqlmodel"},
    "components": {"hsa.services", "hsa.db", "sqlmodel", "sqlalchemy", "hsa.pages"},
    "pages": {"hsa.services", "hsa.db", "sqlmodel", "sqlalchemy"},
    "api": {"reflex", "hsa.state", "hsa.pages", "hsa.components"},
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


CASES = [(layer, p) for layer in FORBIDDEN for p in sorted((ROOT / layer).rglob("*.py"))]


@pytest.mark.parametrize(("layer", "path"), CASES, ids=[f"{layer}/{p.relative_to(ROOT / layer)}" for layer, p in CASES])
def test_layer_imports(layer: str, path: Path) -> None:
    bad = {i for i in _imports(path) for f in FORBIDDEN[layer] if i == f or i.startswith(f + ".")}
    assert not bad, f"{path.relative_to(ROOT.parent)} imports {sorted(bad)}"


def test_every_layer_has_modules() -> None:
    assert all(any((ROOT / layer).glob("*.py")) for layer in FORBIDDEN)
