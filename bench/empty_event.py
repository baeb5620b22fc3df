"""Reflex's own cost per event: many tabs sending a near-empty event in a closed loop.

    bench/ws_server.sh sqlite:////tmp/hsa-side/run.db 8330 &      # any hsa backend
    python bench/empty_event.py --url http://127.0.0.1:8330 --clients 150 --seconds 20

The event is the root state's `set_is_hydrated(False / True)`: no app code, no database, one var in the
delta — what every event pays before the handler runs (socket.io frame, event processor, state
lock and lookup, delta computation and serialisation, the emit). Reports events/s, p50/p95, and
the server's CPU (psutil, over its process tree) as milliseconds of CPU per event: the floor
under every action of the side-by-side mix, which costs 3-5 events per action.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reflex_client import ROOT, ReflexClient  # noqa: E402

EVENT = f"{ROOT}.reflex___state____on_load_internal_state.set_is_hydrated"  # the leaf one: no other substate


def server_tree(port: int) -> list[psutil.Process]:
    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
            root = psutil.Process(conn.pid)
            while root.parent() is not None and "reflex" in " ".join(root.parent().cmdline()):
                root = root.parent()
            return [root, *root.children(recursive=True)]
    raise SystemExit(f"nothing listens on port {port}")


def cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8330")
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=8, help="events per second per tab, at most")
    args = parser.parse_args()
    clients = [ReflexClient(args.url) for _ in range(args.clients)]
    for c in clients:
        c.connect()
        c.send(f"{ROOT}.hydrate")
    times: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def loop(client: ReflexClient) -> None:
        value, gap = False, 1.0 / args.rate
        while time.monotonic() < stop:  # alternate: an unchanged var would send no update at all
            seconds, _ = client.send(EVENT, {"value": value})
            value = not value
            time.sleep(max(0.0, gap - seconds))  # a tab may send 10 events/s (hsa/state/tabs.py)
            with lock:
                times.append(seconds)

    procs = server_tree(int(args.url.rsplit(":", 1)[1]))
    cpu0, wall0 = cpu_seconds(procs), time.monotonic()
    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu, wall = cpu_seconds(procs) - cpu0, time.monotonic() - wall0
    for c in clients:
        c.close()
    ms = sorted(t * 1000 for t in times)
    rate = len(ms) / wall
    print(f"{len(ms):,} events in {wall:.1f} s: {rate:.0f} events/s, p50 {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(len(ms) * 0.95)]:.1f} ms; server {cpu / wall:.2f} cores = {1000 * cpu / len(ms):.2f} ms CPU "
          f"per event ({len(procs)} processes)")


if __name__ == "__main__":
    main()
