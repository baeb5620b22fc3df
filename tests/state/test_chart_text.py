"""Text in the admin dashboard's plotly charts is shown as text, never as markup.

Plotly renders a subset of HTML in labels, hover text and titles (`<a href>`, `<b>`, `<br>`), so a
service named `<a href=...>` would become a live link in the admin's browser.
"""

from __future__ import annotations

import json

from sqlmodel import Session

from hsa.models import Role
from hsa.services import stats
from hsa.state.admin.dashboard import dashboard_charts
from tests.factories import actor_for, make_request, make_service, make_user

EVIL = '<a href="https://evil.example">x</a>'


def test_service_names_and_pincodes_are_escaped_in_every_chart(session: Session) -> None:
    service = make_service(session, name=EVIL)
    make_request(session, customer=make_user(session), service=service, pincode="<b>560034</b>")
    d = stats.dashboard(session=session, actor=actor_for(session, make_user(session, role=Role.admin)))
    assert (EVIL, 1) in d.top_services  # the service keeps the name it was given
    charts = dashboard_charts(d)
    for name, figure in vars(charts).items():
        text = json.dumps(json.loads(figure.to_json()))  # decoded, as the browser sees it
        assert "<a " not in text and "<b>" not in text, name
    assert list(charts.services.data[0].y) == ['&lt;a href="https://evil.example"&gt;x&lt;/a&gt;']  # reads as typed
    assert list(charts.pincodes.data[0].y) == ["&lt;b&gt;560034&lt;/b&gt;"]
