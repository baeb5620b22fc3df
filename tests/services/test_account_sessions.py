""""Where you're signed in": only one's own sessions, each with its device; signing one out."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from hsa.services import account_sessions, sessions
from hsa.services.errors import NotFound
from tests.factories import actor_for, make_user

ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0 Mobile Safari/537.36")
MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.1 Safari/605.1.15")


def test_people_see_their_devices_and_sign_one_out(session: Session) -> None:
    me, other = make_user(session), make_user(session)
    phone = sessions.issue_session(session=session, user_id=me.id, device=ANDROID)
    laptop = sessions.issue_session(session=session, user_id=me.id, device=MAC)
    theirs = sessions.issue_session(session=session, user_id=other.id, device=MAC)
    session.commit()
    actor = sessions.resolve_actor(session=session, token=phone)
    views = account_sessions.list_own(session=session, actor=actor, current_token=phone)
    assert [(v.device, v.current) for v in views] == [("Chrome on Android", True), ("Safari on macOS", False)]
    laptop_id = views[1].id
    account_sessions.revoke_own(session=session, actor=actor, session_id=laptop_id)
    account_sessions.revoke_own(session=session, actor=actor, session_id=laptop_id)  # safe to repeat
    assert sessions.resolve_actor(session=session, token=laptop) is None
    assert sessions.resolve_actor(session=session, token=phone) is not None
    assert [v.device for v in account_sessions.list_own(session=session, actor=actor, current_token=phone)] \
        == ["Chrome on Android"]
    their_actor = actor_for(session, other)
    their_ids = [v.id for v in account_sessions.list_own(session=session, actor=their_actor)]
    with pytest.raises(NotFound):
        account_sessions.revoke_own(session=session, actor=actor, session_id=their_ids[0])
    assert sessions.resolve_actor(session=session, token=theirs) is not None


@pytest.mark.parametrize(("agent", "label"), [
    (ANDROID, "Chrome on Android"), (MAC, "Safari on macOS"), ("", ""),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox on Windows"),
    ("curl/8.4.0", "curl/8.4.0"),
])
def test_device_labels(agent: str, label: str) -> None:
    assert sessions.device_label(agent) == label
