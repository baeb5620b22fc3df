"""The readable copy of "Download my data": one self-contained HTML page (no scripts, no outside
files), a table per section, every value escaped. Money is shown in rupees, times as written."""

from __future__ import annotations

from html import escape
from typing import Any

from hsa.services.views import rupees

STYLE = ("body{font:16px/1.5 system-ui,sans-serif;margin:1rem;max-width:72rem;color:#111}"
         "table{border-collapse:collapse;display:block;overflow-x:auto;margin:.5rem 0 1.5rem}"
         "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
         "th{background:#f3f3f3}caption{text-align:left;font-weight:600}")


def _label(key: str) -> str:
    """'price_paise' -> 'Price', 'email_verified_at' -> 'Email verified at'."""
    return key.removesuffix("_paise").replace("_", " ").capitalize()


def _cell(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key.endswith("_paise") and isinstance(value, int):
        return rupees(value)
    return escape(str(value))


def _table(rows: list[dict[str, Any]]) -> str:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    head = "".join(f'<th scope="col">{escape(_label(k))}</th>' for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{_cell(k, row.get(k))}</td>" for k in keys) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(name: str, generated_at: str, sections: list[tuple[str, list[dict[str, Any]]]]) -> str:
    """The whole page: a heading, a contents list, then each section (an empty one says so)."""
    toc = "".join(f'<li><a href="#s{i}">{escape(title)}</a> ({len(rows)})</li>'
                  for i, (title, rows) in enumerate(sections))
    parts = []
    for i, (title, rows) in enumerate(sections):
        content = _table(rows) if rows else "<p>Nothing here.</p>"
        parts.append(f'<section id="s{i}"><h2>{escape(title)}</h2>{content}</section>')
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Your HomeServe data</title><style>{STYLE}</style></head><body>"
            f"<h1>Your HomeServe data</h1><p>For {escape(name)}, made {escape(generated_at)}. "
            "The same data is in the JSON file, for moving it to another service.</p>"
            f"<nav aria-label=\"Sections\"><ul>{toc}</ul></nav>{''.join(parts)}</body></html>")
