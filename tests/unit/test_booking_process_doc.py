"""docs/booking-process.md shows the process the code declares (regenerate it with
`python -m hsa.services.process.diagram`)."""

from __future__ import annotations

from hsa.services.process import diagram
from hsa.services.process.declaration import PROCESS


def test_the_documented_diagram_is_the_declared_process() -> None:
    current = diagram.DOC.read_text()
    assert diagram.render_doc(current) == current, "run: python -m hsa.services.process.diagram"


def test_every_transition_and_timer_is_drawn() -> None:
    drawn = diagram.mermaid()
    for status, name in PROCESS.cells():
        assert f"{status.value} --> " in drawn and name in drawn
    text = diagram.generated()
    assert all(f"`{t.name}`" in text for t in PROCESS.timers)
