"""Targets and processes of the side-by-side benchmark (bench/side_by_side.py): what each target
name means, CPU sampling of process trees, and starting / waiting for / stopping servers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import psutil

PEER_LABEL = "Flask + Jinja peer (gunicorn, 2 sync workers), SQLite"
ALIASES = {"hsa2": "hsa2-pg"}  # the two hsa columns: hsa1 and hsa2 (2 workers + Redis + PostgreSQL)
PG_BASE, PG_RUN = "hsa_side_base", "hsa_side_run"


@dataclass(frozen=True)
class Target:
    """`peer`, or `hsa<workers>[-pg|-lite][-oplock]`: several workers always keep state in Redis;
    `-pg` serves PostgreSQL, `-lite` (the default, except for `hsa2`: the issue's column) SQLite;
    `-oplock` turns on Reflex's opportunistic Redis lock (REFLEX_OPLOCK_ENABLED: a worker keeps a
    tab's state in memory while nobody else asks for it)."""

    name: str
    workers: int = 0
    pg: bool = False
    oplock: bool = False

    @classmethod
    def parse(cls, text: str) -> Target:
        name = ALIASES.get(text, text)
        if name == "peer":
            return cls("peer")
        head, *flags = name.split("-")
        if not head.startswith("hsa") or not head[3:].isdigit() or set(flags) - {"pg", "lite", "oplock"}:
            raise ValueError(text)
        return cls(text, int(head[3:]), "pg" in flags, "oplock" in flags)

    @property
    def redis(self) -> bool:
        return self.workers > 1 or self.oplock

    @property
    def label(self) -> str:
        if self.name == "peer":
            return PEER_LABEL
        parts = [f"hsa, {self.workers} worker{'s' if self.workers > 1 else ''}"]
        parts.append("Redis" if self.redis else "")
        parts.append("PostgreSQL" if self.pg else "SQLite")
        return " + ".join(p for p in parts if p) + (" (oplock)" if self.oplock else "")


@dataclass
class Sampler:
    """Cumulative CPU seconds per process of a few groups, sampled over time."""

    groups: dict[str, Any]  # name -> callable returning the processes of that group now
    samples: list[tuple[float, dict[str, dict[int, float]], float]] = field(default_factory=list)

    def sample(self) -> None:
        now = time.time()
        taken: dict[str, dict[int, float]] = {}
        for name, find in self.groups.items():
            taken[name] = {}
            for proc in find():
                try:
                    t = proc.cpu_times()
                    taken[name][proc.pid] = t.user + t.system
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
        machine = psutil.cpu_times()
        busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
        self.samples.append((now, taken, busy))

    def cores(self, start: float, end: float) -> dict[str, float]:
        """Mean cores used per group (and the machine's busy total) between two wall-clock times."""
        out: dict[str, float] = {}
        for name in [*self.groups, "machine"]:
            # per group: the samples that saw it (Locust may be gone by the first sample after the window)
            seen = self.samples if name == "machine" else [s for s in self.samples if s[1].get(name)]
            if len(seen) < 2:
                out[name] = 0.0
                continue
            first = max((s for s in seen if s[0] <= start), key=lambda s: s[0], default=seen[0])
            last = min((s for s in seen if s[0] >= end), key=lambda s: s[0], default=seen[-1])
            span = last[0] - first[0]
            if span <= 0:
                out[name] = 0.0
            elif name == "machine":
                out[name] = (last[2] - first[2]) / span
            else:
                before, after = first[1][name], last[1][name]
                out[name] = sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items()) / span
        return out


def tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def rss_mb(pid: int) -> float:
    total = 0
    for proc in tree(pid):
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def pg_backends(database: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmd = " ".join(proc.info.get("cmdline") or [])
        if proc.info.get("name", "").startswith("postgres") and f" {database} " in f" {cmd} ":
            found.append(proc)
    return found


def redis_servers() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if (p.info.get("name") or "").startswith("redis-server")]


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def wait_http(url: str, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"no answer from {url} within {seconds:.0f}s")


def stop(proc: subprocess.Popen) -> None:
    """End the server we started: its whole process group (it was started in its own session)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    time.sleep(1)  # workers of the group finish exiting


# ------------------------------------------------------------------ data
