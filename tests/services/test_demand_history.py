"""Imported past demand: a bad CSV changes nothing and says which line, a re-import is a no-op, the
forecast history sums imported and live requests, and the demo's planted years go in once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from hsa.models import DemandHistory
from hsa.services.errors import ValidationFailed
from hsa.services.intelligence.demand_history import parse_csv, plant_demo_history, replace_source
from hsa.services.intelligence.demand_store import daily_history
from tests.factories import make_request, make_service, make_user

TODAY = date(2026, 12, 3)


def _rows(session: Session) -> int:
    return session.exec(select(func.count()).select_from(DemandHistory)).one()


def test_a_wrong_line_is_named_and_nothing_is_written(session: Session) -> None:
    make_service(session, name="Plumbing")
    bad = ("day,service,city,requests\n2026-11-01,Plumbing,Mumbai,4\n2026-11-02,Plumbling,Mumbai,3\n"
           "2026-11-03,Plumbing,,2\nnext tuesday,Plumbing,Mumbai,1\n2026-11-05,Plumbing,Mumbai,-1\n"
           "2026-12-09,Plumbing,Mumbai,1\n")
    with pytest.raises(ValidationFailed) as caught:
        parse_csv(session, bad, today=TODAY)
    message = caught.value.fields["file"]
    for expected in ("line 3: no service named 'Plumbling'", "line 4: city", "line 5: day must be a date",
                     "line 6: requests must be a whole number", "line 7: day 2026-12-09 is not in the past"):
        assert expected in message
    with pytest.raises(ValidationFailed) as caught:
        parse_csv(session, "day,service,city\n", today=TODAY)
    assert "(missing: requests)" in caught.value.fields["file"]
    assert _rows(session) == 0


def test_reimport_replaces_and_history_sums_imported_and_live(session: Session) -> None:
    plumbing = make_service(session, name="Plumbing")
    text = "day,service,city,requests\n2026-11-01,plumbing,Bombay,4\n2026-11-02,Plumbing,Mumbai,3\n"
    for _ in range(2):
        assert replace_source(session, parse_csv(session, text, today=TODAY), source="callcentre") == 2
    assert _rows(session) == 2  # the same file twice: the same rows
    corrected = "day,service,city,requests\n2026-11-02,Plumbing,Mumbai,5\n"
    replace_source(session, parse_csv(session, corrected, today=TODAY), source="callcentre")
    customer = make_user(session)
    live = make_request(session, customer=customer, service=plumbing, pincode="400001")
    live.created_at = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # 11:30 IST
    session.add(live)
    session.commit()
    found = daily_history(session, since=date(2026, 11, 1), until=date(2026, 11, 30))
    assert dict(found[(plumbing.id, "Mumbai")]) == {date(2026, 11, 1): 4, date(2026, 11, 2): 6}


def test_demo_history_is_planted_once(session: Session) -> None:
    make_service(session, name="Plumbing")
    make_service(session, name="Electrical")
    planted = plant_demo_history(session, yesterday=TODAY - timedelta(days=1), days=60)
    assert planted == 2 * 4 * 60 and _rows(session) == planted
    assert plant_demo_history(session, yesterday=TODAY, days=60) == 0 and _rows(session) == planted
