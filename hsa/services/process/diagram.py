"""The booking process drawn from its declaration: a Mermaid state diagram and a reference table.

`python -m hsa.services.process.diagram` rewrites the generated part of docs/booking-process.md
(between the markers); a test fails when the file is not what the declaration says, so the
picture can never drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hsa.services.process.declaration import PROCESS
from hsa.services.process.disputes_declared import PROCESS as DISPUTE_PROCESS
from hsa.services.process.disputes_declared import WINDOW as DISPUTE_WINDOW
from hsa.services.process.model import Process, Transition
from hsa.settings import Settings

DOC = Path(__file__).resolve().parents[3] / "docs" / "booking-process.md"
BEGIN, END = "<!-- generated from hsa/services/process/declaration.py: begin -->", "<!-- generated: end -->"


def _who(t: Transition) -> str:
    if not t.parties:
        return "HomeServe (timer)"
    return ", ".join(f"{role.value} ({party.value})" for role, party in t.parties.items())


def mermaid(process: Process = PROCESS) -> str:
    """stateDiagram-v2: one arrow per (source, transition); self-loops for actions that keep the status."""
    lines = ["stateDiagram-v2", "    [*] --> requested: book"]
    for t in process.transitions:
        for source in t.sources:
            target = t.target_from(source)
            guard = f" [{', '.join(g.name for g in t.guards)}]" if t.guards else ""
            label = f"{t.name}{guard}" + (" ⏱" if not t.parties else "")
            lines.append(f"    {source.value} --> {target.value}: {label}")
    lines += ["    closed --> [*]", "    cancelled --> [*]"]
    return "\n".join(lines)


def _timers(process: Process) -> list[str]:
    defaults = Settings.model_construct()  # the documented defaults, whatever this shell sets
    rows = ["| timer | when | does |", "|---|---|---|"]
    for timer in process.timers:
        offset = timer.offset(defaults)
        hours = offset.total_seconds() / 3600
        when = (f"{abs(hours):g} h {'before' if hours < 0 else 'after'} `{timer.anchor}`" if abs(hours) < 48
                else f"{abs(hours) / 24:g} days after `{timer.anchor}`")
        does = f"takes `{timer.transition}`" if timer.transition else "tells " + ", ".join(
            n.to.value for n in timer.notices) + (" (in-app + email)" if timer.email else "")
        rows.append(f"| `{timer.name}` (while {timer.status.value}) | {when} | {does} |")
    return rows


def table(process: Process = PROCESS) -> str:
    rows = ["| action | who | from → to | guards | effects | tells | API |", "|---|---|---|---|---|---|---|"]
    for t in process.transitions:
        moves = ", ".join(f"{s.value} → {t.target_from(s).value}" for s in t.sources)
        effects = ", ".join(f"`{e.__module__.rsplit('.', 1)[-1]}.{e.__name__}`" for e in t.effects) or "—"
        tells = ", ".join(sorted({n.to.value for n in t.notices})) or "—"
        api = f"`POST /bookings/{{id}}/{t.api_name}`" if t.api_name else "—"
        guards = ", ".join(g.name for g in t.guards) or "—"
        rows.append(f"| **{t.ui.label}** (`{t.name}`) | {_who(t)} | {moves} | {guards} | {effects} | {tells} | {api} |")
    return "\n".join(rows)


def disputes() -> list[str]:
    """The dispute process (issue #17), from its own declaration: a small process beside the booking's."""
    rows = ["Disputes (hsa/services/process/disputes_declared.py; a completed job, for "
            f"{DISPUTE_WINDOW.days} days after completion):", "",
            "| move | who | from → to | tells |", "|---|---|---|---|"]
    for m in DISPUTE_PROCESS:
        sources = ", ".join(s.value if s else "(none)" for s in m.sources)
        rows.append(f"| `{m.name}` | {m.by.value} | {sources} → {m.target.value} | {', '.join(m.tell)} |")
    return rows


def generated(process: Process = PROCESS) -> str:
    return "\n".join([BEGIN, "", "```mermaid", mermaid(process), "```", "", table(process), "",
                      "Timers (delayed transitions), with today's defaults:", "", *_timers(process), "",
                      *disputes(), "", END])


def render_doc(current: str, process: Process = PROCESS) -> str:
    """`current` with its generated block replaced (or appended when it has none)."""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        return head + generated(process) + rest.split(END, 1)[1]
    return current.rstrip() + "\n\n" + generated(process) + "\n"


def main() -> int:
    DOC.write_text(render_doc(DOC.read_text() if DOC.exists() else "# The booking process\n"))
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
