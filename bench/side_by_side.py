"""Issue #15's side-by-side load benchmark: a plain Flask peer and hsa on the same data and the same mix.

    python bench/side_by_side.py                                    # 5 interleaved rounds, 100 users
    python bench/side_by_side.py --repeats 1 --users 10 --seconds 15 --targets peer,hsa1   # a smoke test

Targets, run interleaved (peer, hsa1, hsa2, peer, hsa1, ...) so a slow minute on the machine
hurts every target alike:
- ``peer``: bench/peer_flask (Flask + Jinja, gunicorn with 2 sync workers) on the SQLite file;
- ``hsa1``: hsa's backend, one worker, SQLite (bench/ws_server.sh, state in memory);
- ``hsa2``: hsa's backend, 2 Granian workers, Redis state (database 11) and PostgreSQL.

Data: bench/generate.py --shape small-peer (5,000 customers, 2,000 approved professionals over
50 services x 200 pincodes, 50,000 requests), made once under --work (default /tmp/hsa-side),
settled with one reminder pass (the booking timers expire ~4,900 old unaccepted requests: that
must not happen inside a run), copied into PostgreSQL once for hsa2. Every run starts from a fresh
copy of that base, so bookings made by earlier runs never grow later runs' "My requests".

Each run: start the server, wait until it answers, run Locust (bench/side_mix.py's mix: 10 s
ramp, then a warm-up once every user has signed in, then the measured window) and sample CPU
with psutil every half second: the server's process tree; for hsa2 also the PostgreSQL backends
of its database and the (shared) redis-server; the Locust process; the whole machine (so other
work on it shows up as "other"). Prints each run, then the medians per target; everything
also goes to --work/side-<time>.json.

Only loopback addresses are used. Ports 8310-8312 by default (--port).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from side_mix import ACTIONS, pct  # noqa: E402
from side_targets import (  # noqa: E402
    PG_BASE,
    PG_RUN,
    Sampler,
    Target,
    pg_backends,
    port_free,
    redis_servers,
    rss_mb,
    stop,
    tree,
    wait_http,
)


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    base = Path(args.base_db)
    if args.regenerate or not base.exists():
        print(f"== generating the small-peer data set into {base}", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--db", str(base),
                        "--shape", "small-peer"], check=True, env=env, cwd=ROOT)
        print("== settling the booking timers (one reminder pass)", flush=True)
        subprocess.run([sys.executable, "-m", "hsa.cli", "reminders"], check=True, cwd=ROOT,
                       env={**env, "HSA_DATABASE_URL": f"sqlite:///{base}"})
        with sqlite3.connect(base) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if any(Target.parse(t).pg for t in args.targets):
        marker = base.with_suffix(".pg-copied")
        stamp = f"{base.stat().st_mtime_ns}:{base.stat().st_size}:{args.pg}"
        if args.regenerate or not marker.exists() or marker.read_text() != stamp:
            print(f"== copying {base} into PostgreSQL database {PG_BASE}", flush=True)
            subprocess.run([sys.executable, str(ROOT / "bench" / "copy_to_postgres.py"), "--sqlite", str(base),
                            "--pg", f"{args.pg}/{PG_BASE}"], check=True, env=env, cwd=ROOT)
            marker.write_text(stamp)


def fresh_sqlite(base: Path, run: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{run}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(base), sqlite3.connect(run)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()
    run.chmod(0o600)


def fresh_postgres(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from copy_to_postgres import recreate_database

    recreate_database(f"{args.pg}/{PG_RUN}", template=PG_BASE)
    import redis

    client = redis.Redis.from_url(args.redis)
    client.flushdb()  # only the benchmark's own database number
    client.close()


def catalog(base: Path) -> tuple[str, str]:
    with sqlite3.connect(f"file:{base}?mode=ro", uri=True) as conn:
        pins = [p for (p,) in conn.execute("SELECT DISTINCT pincode FROM users WHERE role = 'professional' "
                                           "ORDER BY pincode")]
        services = [str(i) for (i,) in conn.execute("SELECT id FROM services WHERE is_active = 1 ORDER BY id")]
    return ",".join(pins), ",".join(services)


# ------------------------------------------------------------------ one run


def start_profile(target: str, round_no: int, pid: int, ramp: float, args: argparse.Namespace) -> subprocess.Popen:
    """py-spy on the server's process tree over (most of) the measured window: only threads holding
    the GIL (`--gil`), idle ones left out (the default). `bench/profile_split.py` reads the output."""
    out = Path(args.work) / f"{target}-{round_no}.pyspy.txt"
    delay = ramp + args.warmup + 8  # sign-in and the first navigation come before the window opens
    cmd = ["sh", "-c", f"sleep {delay:.0f}; exec py-spy record --pid {pid} --subprocesses --gil --nonblocking"
           f" --rate 200 --format raw --duration {max(5, int(args.seconds) - 15)} -o {out}"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})


def run_one(target: str, round_no: int, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    work = Path(args.work)
    spec = Target.parse(target)
    port = args.port + args.targets.index(target)
    if not port_free(port):
        raise SystemExit(f"port {port} is taken: pass --port")
    run_db = work / "run.db"
    server_env = {k: v for k, v in env.items() if k not in ("REFLEX_REDIS_URL", "GRANIAN_WORKERS")}
    server_env["HSA_MAX_TABS_PER_IP"] = str(max(1000, args.users * 2))  # every simulated tab is 127.0.0.1
    locust_env = dict(server_env)
    if spec.redis:
        server_env.update(REFLEX_REDIS_URL=args.redis, GRANIAN_WORKERS=str(spec.workers))
        if spec.oplock:
            server_env["REFLEX_OPLOCK_ENABLED"] = "1"
    if spec.pg:
        fresh_postgres(args)
        url = f"{args.pg}/{PG_RUN}"
    else:
        fresh_sqlite(Path(args.base_db), run_db)
        url = f"sqlite:///{run_db}"
    log = open(work / f"{target}-{round_no}.server.log", "w")  # noqa: SIM115 - closed below
    if target == "peer":
        command = [str(ROOT / "bench" / "peer_flask" / "serve.sh"), str(run_db), str(port)]
        server_env["PEER_SEARCH"] = args.peer_search
        ready, locustfile = f"http://127.0.0.1:{port}/login", ROOT / "bench" / "peer_flask" / "locustfile.py"
        locust_env["PEER_DATABASE"] = str(run_db)
    else:
        command = [str(ROOT / "bench" / "ws_server.sh"), url, str(port)]
        ready, locustfile = f"http://127.0.0.1:{port}/ping", ROOT / "bench" / "locustfile.py"
        locust_env.update(HSA_DATABASE_URL=url, HSA_LOAD_PROFILE="side", SIDE_MAX_USERS=str(args.users))
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=server_env, cwd=ROOT,
                              start_new_session=True)
    result_file = work / f"{target}-{round_no}.locust.json"
    result_file.unlink(missing_ok=True)
    try:
        wait_http(ready)
        time.sleep(2)
        idle_rss = rss_mb(server.pid)
        ramp = args.users / args.spawn_rate
        locust_env.update(SIDE_RESULT=str(result_file), SIDE_WARMUP=str(args.warmup), SIDE_SECONDS=str(args.seconds))
        limit = int(ramp + 150 + args.warmup + args.seconds)  # the window ends the run itself, well before
        locust_cmd = [str(Path(sys.executable).with_name("locust")), "-f", str(locustfile), "--headless",
                      "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{limit}s",
                      "--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING"]
        with open(work / f"{target}-{round_no}.locust.log", "w") as locust_log:
            locust = subprocess.Popen(locust_cmd, stdout=locust_log, stderr=subprocess.STDOUT, env=locust_env,
                                      cwd=ROOT, start_new_session=True)
            groups = {"server": lambda: tree(server.pid), "locust": lambda: tree(locust.pid)}
            if spec.pg:
                groups["postgres"] = lambda: pg_backends(PG_RUN)
            if spec.redis:
                groups["redis"] = redis_servers
            sampler = Sampler(groups)
            end_rss = idle_rss
            spy = start_profile(target, round_no, server.pid, ramp, args) if args.profile and target != "peer" else None
            while locust.poll() is None:
                sampler.sample()
                time.sleep(0.5)
                if result_file.exists() and end_rss == idle_rss:
                    end_rss = rss_mb(server.pid)
            sampler.sample()
            if spy is not None:
                spy.wait(timeout=60)
        if not result_file.exists():
            raise SystemExit(f"{target}: Locust wrote no result (see {work}/{target}-{round_no}.locust.log)")
        measured = json.loads(result_file.read_text())
    finally:
        stop(server)
        log.close()
    cores = sampler.cores(measured["window_start"], measured["window_end"])
    seconds = measured["seconds"] or 1.0
    actions = {}
    for name in ACTIONS:
        values = measured["samples_ms"].get(name, [])
        actions[name] = {"n": len(values), "per_s": len(values) / seconds, "p50": pct(values, 0.5),
                         "p95": pct(values, 0.95), "p99": pct(values, 0.99),
                         "errors": measured["errors"].get(name, 0)}
    accounted = sum(v for k, v in cores.items() if k != "machine")
    return {
        "target": target, "round": round_no, "users": measured["users"], "seconds": seconds,
        "actions_per_s": sum(a["n"] for a in actions.values()) / seconds, "actions": actions,
        "errors": sum(measured["errors"].values()),
        "errors_outside_window": sum(measured["errors_outside_window"].values()),
        "error_messages": measured["error_messages"], "setup_ms": measured["setup_ms"],
        "cpu_cores": {**cores, "other": max(0.0, cores.get("machine", 0.0) - accounted)},
        "rss_mb": {"idle": idle_rss, "loaded": end_rss,
                   "per_user_kb": (end_rss - idle_rss) * 1024 / max(1, measured["users"] or 1)},
    }


def line(r: dict[str, Any]) -> str:
    a, c = r["actions"], r["cpu_cores"]
    lat = "  ".join(f"{name} {a[name]['p50']:.0f}/{a[name]['p95']:.0f}/{a[name]['p99']:.0f}" for name in ACTIONS)
    extra = "".join(f" {k} {c[k]:.2f}" for k in ("postgres", "redis") if k in c)
    return (f"{r['target']:5} round {r['round']}: {r['actions_per_s']:6.1f} actions/s  errors {r['errors']}"
            f" (+{r['errors_outside_window']} outside)  ms p50/p95/p99: {lat}  cores: server {c.get('server', 0):.2f}"
            f"{extra} locust {c.get('locust', 0):.2f} other {c.get('other', 0):.2f}"
            f"  RSS {r['rss_mb']['idle']:.0f}->{r['rss_mb']['loaded']:.0f} MB")


def medians(runs: list[dict[str, Any]], targets: list[str]) -> str:
    med = statistics.median
    rows = ["| target | runs | actions/s | " + " | ".join(f"{a} p50 / p95 / p99 ms" for a in ACTIONS)
            + " | errors | server CPU (cores) | db + redis CPU | Locust CPU | other CPU | RSS per user |",
            "|---" * (len(ACTIONS) + 8) + "|"]
    for target in targets:
        rs = [r for r in runs if r["target"] == target]
        if not rs:
            continue
        cells = [" / ".join(f"{med(r['actions'][a][p] for r in rs):,.0f}" for p in ("p50", "p95", "p99"))
                 for a in ACTIONS]
        db = med(r["cpu_cores"].get("postgres", 0) + r["cpu_cores"].get("redis", 0) for r in rs)
        rows.append(f"| {Target.parse(target).label} | {len(rs)} | {med(r['actions_per_s'] for r in rs):.1f} | "
                    + " | ".join(cells)
                    + f" | {sum(r['errors'] for r in rs)} (+{sum(r['errors_outside_window'] for r in rs)} outside)"
                    + f" | {med(r['cpu_cores'].get('server', 0) for r in rs):.2f} | {db:.2f}"
                    + f" | {med(r['cpu_cores'].get('locust', 0) for r in rs):.2f}"
                    + f" | {med(r['cpu_cores'].get('other', 0) for r in rs):.2f}"
                    + f" | {med(r['rss_mb']['per_user_kb'] for r in rs):,.0f} KB |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--targets", default="peer,hsa1,hsa2",
                        help="comma-separated: peer, hsa1, hsa2 (= hsa2-pg), hsaN[-pg|-lite][-oplock]")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users per second (100 / 10 = the 10 s ramp)")
    parser.add_argument("--warmup", type=float, default=5, help="seconds after every user is in, before measuring")
    parser.add_argument("--seconds", type=float, default=60, help="the measured window")
    parser.add_argument("--work", default="/tmp/hsa-side")
    parser.add_argument("--base-db", help="default: WORK/base.db")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy the hsa servers over the window (WORK/<target>-<round>.pyspy.txt)")
    parser.add_argument("--regenerate", action="store_true", help="make the data set (and its PostgreSQL copy) anew")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432",
                        help="server URL without a database name")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--port", type=int, default=8310, help="first port; each target gets the next")
    parser.add_argument("--peer-search", choices=("exact", "radius"), default="exact",
                        help="the peer's search rule (bench/peer_flask/app.py)")
    args = parser.parse_args()
    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = []
    for target in args.targets:
        try:
            Target.parse(target)
        except ValueError:
            unknown.append(target)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    work = Path(args.work)
    work.mkdir(mode=0o700, parents=True, exist_ok=True)
    args.base_db = args.base_db or str(work / "base.db")
    env = {**os.environ, "HSA_DATA_DIR": str(work / "data"),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env.pop("HSA_DATABASE_URL", None)
    prepare(args, env)
    pins, services = catalog(Path(args.base_db))
    env.update(SIDE_PINCODES=pins, SIDE_SERVICE_IDS=services)
    runs: list[dict[str, Any]] = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = work / f"side-{stamp}.json"
    print(f"== {args.repeats} round(s) of {', '.join(args.targets)}: {args.users} users, ramp "
          f"{args.users / args.spawn_rate:.0f} s, warm-up {args.warmup:.0f} s, {args.seconds:.0f} s measured",
          flush=True)
    for round_no in range(1, args.repeats + 1):
        for target in args.targets:
            result = run_one(target, round_no, args, env)
            runs.append(result)
            print(line(result), flush=True)
            if result["error_messages"]:
                print(f"      errors: {result['error_messages']}", flush=True)
            out.write_text(json.dumps({"args": {k: v for k, v in vars(args).items()}, "runs": runs}, indent=1))
    print(f"\nMedians of {args.repeats} round(s) ({out}):\n")
    print(medians(runs, args.targets))


if __name__ == "__main__":
    main()
