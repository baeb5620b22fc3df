"""Issue #17, "Download my data": asked for on the profile page with a double click, made in the
background with a bar, downloaded as JSON and as a readable page — holding the person's own rows
(a booking, its chat, their review) and nothing of another customer's."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Browser, expect

from hsa.models import ChatMessage, RequestStatus, Review
from tests.e2e.a11y import assert_phone_layout, axe_violations
from tests.e2e.cast import cast
from tests.e2e.conftest import Server
from tests.e2e.pages import signed_in
from tests.factories import make_request, make_user


def test_download_my_data_holds_my_rows_and_no_one_elses(browser: Browser, server: Server) -> None:
    with server.session() as s:
        people = cast(s, "mydata", "Meera Iyer", "Kiran Plumber", "Data Admin")
        other = make_user(s, email=f"other-{people.customer.id}@example.com", full_name="Nisha Other")
        mine = make_request(s, customer=people.customer, service=people.plumbing, status=RequestStatus.completed,
                            professional=people.pro, paid=True)
        theirs = make_request(s, customer=other, service=people.plumbing, status=RequestStatus.completed,
                              professional=people.pro, paid=True)
        s.add_all([ChatMessage(request_id=mine.id, sender_id=people.customer.id, body="Please bring a spanner"),
                   ChatMessage(request_id=theirs.id, sender_id=other.id, body="Nisha's private gate code"),
                   Review(request_id=mine.id, customer_id=people.customer.id, professional_id=people.pro.id,
                          rating=5, comment="Quick and tidy"),
                   Review(request_id=theirs.id, customer_id=other.id, professional_id=people.pro.id,
                          rating=2, comment="Nisha was unhappy")])
        s.commit()
        me, mine_id = people.customer, mine.id
    page = signed_in(browser, server, me.id, "/profile")
    card = page.locator("#my-data")
    card.get_by_role("button", name="Prepare my data").dblclick()
    expect(card.locator("#archive-status")).to_contain_text("Your data is ready", timeout=20_000)
    expect(card.get_by_role("button", name="Prepare a fresh copy")).to_be_visible()
    assert len(list((server.log.parent / "archives" / str(me.id)).glob("*.meta"))) == 1  # one archive, not two
    assert_phone_layout(page)
    assert axe_violations(page, "#my-data") == []

    with page.expect_download() as got:
        card.get_by_role("link", name="Download my data as JSON").click()
    assert got.value.suggested_filename.startswith("homeserve-my-data-")
    data = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))["sections"]
    assert data["account"][0]["email"] == me.email
    assert [b["id"] for b in data["bookings"]] == [mine_id]
    assert [m["text"] for m in data["chat_messages"]] == ["Please bring a spanner"]
    assert [r["comment"] for r in data["reviews_given"]] == ["Quick and tidy"]
    assert data["payments"] and data["sessions"]
    text = json.dumps(data)
    assert "Nisha" not in text and other.email not in text and people.pro.email not in text

    with page.expect_download() as got:
        card.get_by_role("link", name="Download my data as a readable page (HTML)").click()
    readable = Path(got.value.path()).read_text(encoding="utf-8")
    assert "Meera Iyer" in readable and "Please bring a spanner" in readable and "Nisha" not in readable

    page.reload()  # the archive is still there after a reload, with its links
    expect(card.locator("#archive-status")).to_contain_text("The links work until")
    page.context.close()
