"""Server memory per open tab: anonymous tabs, then signed-in customer tabs, then after they close.

Start a server first (any mode), e.g. from a copy of the checkout:
    bench/ws_server.sh sqlite:////tmp/bench.db 8200        # backend only, demo data: python -m hsa.cli seed
    python bench/tab_memory.py --url http://localhost:8200 --pid <server pid> --db sqlite:////tmp/bench.db
Each tab connects over the websocket, hydrates and loads its page as a browser would; RSS is the
sum over the server's process tree, read after a garbage-collection pause of 2 s.
"""

from __future__ import annotations

import argparse
import os
import time

import psutil

from bench.reflex_client import ROOT, STATES, ReflexClient


def rss_mb(pid: int) -> float:
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    return sum(p.memory_info().rss for p in procs) / 2**20


def settle(pid: int) -> float:
    time.sleep(2)
    return rss_mb(pid)


def open_tabs(url: str, n: int, token: str | None) -> list[ReflexClient]:
    tabs = []
    for _ in range(n):
        tab = ReflexClient(url)
        tab.connect()
        if token:
            tab.login_with(token, "/customer")
            tab.send(f"{STATES['customer']}.load", path="/customer")
        else:
            tab.send(f"{ROOT}.hydrate", path="/")
        tabs.append(tab)
    return tabs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--db", required=True, help="the server's HSA_DATABASE_URL (to sign a customer in)")
    parser.add_argument("--tabs", type=int, default=150)
    parser.add_argument("--linger", type=float, default=0,
                        help="seconds to wait after closing (past HSA_ANONYMOUS_TAB_MINUTES) before the last reading")
    args = parser.parse_args()
    os.environ["HSA_DATABASE_URL"] = args.db
    from sqlmodel import select

    from hsa.db import session_scope
    from hsa.models import Role, User
    from hsa.services import sessions

    with session_scope() as s:
        customer = s.exec(select(User.id).where(User.role == Role.customer)).first()
        token = sessions.issue_session(session=s, user_id=customer)
        s.commit()
    base = settle(args.pid)
    anon = open_tabs(args.url, args.tabs, None)
    with_anon = settle(args.pid)
    signed = open_tabs(args.url, args.tabs, token)
    with_signed = settle(args.pid)
    for tab in anon + signed:
        tab.close()
    closed = settle(args.pid)
    states_closed = tab_states(args.url)
    time.sleep(args.linger)
    lingered = settle(args.pid)
    states_lingered = tab_states(args.url)
    per_anon = (with_anon - base) * 1024 / args.tabs
    per_signed = (with_signed - with_anon) * 1024 / args.tabs
    print(f"baseline {base:.1f} MB; +{args.tabs} anonymous tabs {with_anon:.1f} MB ({per_anon:.0f} KB/tab); "
          f"+{args.tabs} signed-in customer tabs {with_signed:.1f} MB ({per_signed:.0f} KB/tab); "
          f"all closed {closed:.1f} MB, {states_closed} states held; after {args.linger:.0f} s more "
          f"{lingered:.1f} MB, {states_lingered} states held")


def tab_states(url: str) -> str:
    """The server's own count of tab states in memory (the `hsa_tab_states` gauge)."""
    import urllib.request

    with urllib.request.urlopen(f"{url}/metrics", timeout=5) as resp:
        for line in resp.read().decode().splitlines():
            if line.startswith("hsa_tab_states"):
                return line.split()[-1]
    return "?"


if __name__ == "__main__":
    main()
