"""No page or component says English that bypasses the catalog (issue #19).

Every text a person reads on a page comes from `hsa/i18n/catalog/<lang>/*.po` by key (`t`,
`tf` in pages, `tr`/`msg` in Python). This test walks the source of `hsa/pages` and
`hsa/components` and fails on any string literal that reads like words — so a new English
literal is caught when it is written, not when a Hindi speaker finds it. Technical strings
(ids, CSS, routes, prop values) pass by where they appear (keyword arguments such as `id=`) or
by their shape (no spaces, no capitalised word).

Run `python tests/unit/test_english_literals.py` to list what it finds, file by file.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [ROOT / "hsa" / "pages", ROOT / "hsa" / "components"]

# Keyword arguments whose values are never shown as text.
TECHNICAL_KWARGS = {
    "id", "class_name", "name", "type", "href", "html_for", "autocomplete", "key", "color",
    "color_scheme", "variant", "size", "spacing", "align", "justify", "direction", "wrap", "width",
    "height", "min_height", "max_width", "min_width", "display", "route", "input_mode", "inputmode",
    "pattern", "accept", "role", "aria_live", "aria_controls", "aria_describedby", "aria_hidden",
    "aria_current", "aria_invalid", "method", "value", "default_value", "src", "target", "rel",
    "position", "overflow", "padding", "margin", "gap", "border", "border_radius", "background",
    "font_size", "font_weight", "text_align", "white_space", "cursor", "loading", "icon", "side",
    "high_contrast", "radius", "weight", "trim", "as_", "as_child", "underline", "flex", "lang",
    "step", "min", "max", "max_length", "min_length", "enc_type", "scroll", "orientation", "style",
    "custom_attrs", "data", "field_id", "format", "fallback", "layout", "config", "template",
    "template_name", "columns", "rows", "grid_template_columns", "content", "tone", "kind", "busy",
    "success_color", "mode",
}
# Calls whose string arguments are keys, icon names or code, not text.
TECHNICAL_CALLS = {"t", "tf", "msg", "tr", "icon", "Var", "create", "get", "getattr", "setattr",
                   "hasattr", "startswith", "endswith", "split", "join", "replace", "format",
                   "compile", "match", "search", "sub", "call_script", "redirect", "set_value",
                   "set_focus", "scroll_to", "download", "to", "contains", "Field", "_id", "_suffix",
                   "field_error", "upload_files", "selected_files", "clear_selected_files",
                   "get_upload_url", "PagePart", "eq", "color", "run_script", "cast"}
# A few shown strings that are the same in every language.
SAME_IN_EVERY_LANGUAGE = {"HomeServe", "₹", "·", "—", "/", "…"}

WORDS = re.compile(r"[A-Za-z]{2,}")
CAPITALISED_WORD = re.compile(r"(^|[\s(\"'])[A-Z][a-z]+")
CSS_LIKE = re.compile(r"(var\(|px\b|rem\b|%|solid|calc\(|rgba?\(|^#|^[a-z0-9_\-]+(\s[a-z0-9_\-]+)*$)")


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _reads_like_words(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped in SAME_IN_EVERY_LANGUAGE or not WORDS.search(stripped):
        return False
    if CAPITALISED_WORD.search(stripped):
        return not ("_" in stripped or "." in stripped and " " not in stripped)
    if " " in stripped:  # lowercase words ("or", "join as a professional")
        return not CSS_LIKE.search(stripped)
    return False


def english_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.keyword) and parent.arg in TECHNICAL_KWARGS:
            continue
        if isinstance(parent, ast.Call) and _call_name(parent) in TECHNICAL_CALLS:
            continue
        if isinstance(parent, ast.Subscript) or isinstance(parent, ast.Dict) and node in parent.keys:
            continue
        if isinstance(parent, ast.Compare):  # comparing to a value, not showing it
            continue
        grand = parents.get(id(parent))
        if isinstance(grand, ast.Raise) or isinstance(parent, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id in {"tag", "library"} for target in parent.targets):
            continue  # a programmer's error message; a React component's name
        if _reads_like_words(node.value):
            found.append((node.lineno, node.value))
    return found


def all_english_literals() -> dict[str, list[tuple[int, str]]]:
    report = {}
    for folder in SCANNED:
        for path in sorted(folder.rglob("*.py")):
            hits = english_literals(path)
            if hits:
                report[str(path.relative_to(ROOT))] = hits
    return report


def test_pages_and_components_take_every_text_from_the_catalog() -> None:
    report = all_english_literals()
    lines = [f"{file}:{line}: {text!r}" for file, hits in report.items() for line, text in hits]
    assert not lines, "English outside the catalog (use t()/tf() with a key):\n" + "\n".join(lines)


def test_the_check_catches_a_new_literal(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text('import reflex as rx\n\ndef p():\n    """Doc."""\n'
                    '    return rx.box(rx.text("Book a plumber"), rx.text(t("x.y")), id="main-box",\n'
                    '                  aria_label="Close the dialog", class_name="narrow wide")\n')
    assert [text for _, text in english_literals(page)] == ["Book a plumber", "Close the dialog"]


if __name__ == "__main__":
    total = 0
    for file, hits in all_english_literals().items():
        print(f"{file}: {len(hits)}")
        for line, text in hits:
            print(f"    {line}: {text!r}")
        total += len(hits)
    print("total", total)
    sys.exit(1 if total else 0)
