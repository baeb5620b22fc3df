"""Operator commands: `python -m hsa.cli {migrate,seed,create-admin,backup,restore,reminders,train,forecast,
import-demand}`.

The first admin can only be created here: the UI and API have no admin self-registration.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime

from hsa.db import session_scope
from hsa.services.errors import ValidationFailed
from hsa.settings import SettingsError


def _migrate(_: argparse.Namespace) -> int:
    from hsa.migrate import upgrade_to_head

    upgrade_to_head()
    print("database is at the newest schema")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from hsa.services.demo_data import load_demo_data

    with session_scope() as session:
        loaded = load_demo_data(session=session)
    print("demo data loaded" if loaded else "database already has users: demo data not loaded")
    if args.demand_history:
        _plant_demand_history()
    return 0


def _plant_demand_history() -> None:
    """The demo's two years of past demand, then today's forecasts from them (the Demand page's data)."""
    import time
    from datetime import timedelta

    from hsa.models import utcnow
    from hsa.services.demo_data import is_demo_database
    from hsa.services.intelligence.demand_history import plant_demo_history
    from hsa.services.intelligence.demand_job import run_daily_forecast
    from hsa.services.scheduling import local_date

    started = time.perf_counter()
    now = utcnow()
    with session_scope() as session:
        if not is_demo_database(session):
            print("demo demand history: not planted (this database does not hold the demo accounts)")
            return
        planted = plant_demo_history(session, yesterday=local_date(now) - timedelta(days=1))
        computed = run_daily_forecast(session=session, now=now) if planted else False
    print(f"demo demand history: {planted:,} daily counts planted"
          + (", today's forecasts computed" if computed else "") + f" in {time.perf_counter() - started:.1f} s")


def _import_demand(args: argparse.Namespace) -> int:
    """Import past daily demand from a CSV (checked whole first; nothing is written when a line is wrong)."""
    from pathlib import Path

    from hsa.models import utcnow
    from hsa.services.intelligence.demand_history import parse_csv, replace_source
    from hsa.services.scheduling import local_date

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.file}: cannot read it as UTF-8 text ({exc.__class__.__name__})", file=sys.stderr)
        return 1
    try:
        with session_scope() as session:
            days = parse_csv(session, text, today=local_date(utcnow()))
            written = replace_source(session, days, source=args.source)
    except ValidationFailed as exc:
        print(f"{args.file}: {exc.fields['file']}", file=sys.stderr)
        return 1
    print(f"{written:,} daily counts imported under source {args.source!r}; "
          "run `python -m hsa.cli forecast` to use them now (the daily pass will otherwise)")
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    from hsa.services.accounts import create_admin

    password = os.environ.get("HSA_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print("set HSA_ADMIN_PASSWORD or run in a terminal to be prompted", file=sys.stderr)
            return 2
        password = getpass.getpass("Password for the new admin: ")
        if getpass.getpass("Repeat the password: ") != password:
            print("passwords do not match", file=sys.stderr)
            return 2
    try:
        with session_scope() as session:
            user_id = create_admin(session=session, email=args.email, full_name=args.name,
                                   password=password, phone=args.phone, pincode=args.pincode)
    except ValidationFailed as exc:
        for field, message in exc.fields.items():
            print(f"{field}: {message}", file=sys.stderr)
        return 1
    print(f"admin created with id {user_id}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from hsa.backup import backup

    target = backup(Path(args.output) if args.output else None)
    print(f"backup written to {target}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from hsa.backup import restore

    if not args.yes:
        print("restore replaces the whole database: stop the app, then run again with --yes", file=sys.stderr)
        return 2
    restore(Path(args.file))
    print(f"restored from {args.file}")
    return 0


class _BadMoment(Exception):
    pass


def _moment(value: str | None) -> datetime | None:
    """--now: an ISO date-time, IST when it has no offset (None when not given)."""
    from datetime import datetime

    from hsa.services.scheduling import IST

    if not value:
        return None
    try:
        now = datetime.fromisoformat(value)
    except ValueError:
        print(f"--now: not an ISO date-time: {value!r}", file=sys.stderr)
        raise _BadMoment from None
    return now if now.tzinfo is not None else now.replace(tzinfo=IST)


def _reminders(args: argparse.Namespace) -> int:
    from hsa.services.reminders import run_reminders_once

    print(f"{run_reminders_once(_moment(args.now))} reminders sent")
    return 0


def _train(args: argparse.Namespace) -> int:
    """Fit "describe your problem" on the corpus plus this database's booking remarks."""
    from pathlib import Path

    from hsa.services.intelligence import describe_store, describe_train

    folder = describe_store.SHIPPED if args.ship else describe_store.trained_dir()
    with session_scope(readonly=True) as session:
        card = describe_train.train(session=None if args.corpus_only else session, folder=Path(folder),
                                    cap_per_service=args.cap)
    f = card["figures"]
    print(f"trained on {card['corpus']} corpus lines + {card['booking_remarks']} booking remarks "
          f"in {f['train_seconds']} s; held-out top-1 {f['top1']:.1%}, top-3 {f['top3']:.1%}; "
          f"'not sure' below {card['threshold']:.0%}; saved in {folder}")
    return 0


def _forecast(args: argparse.Namespace) -> int:
    from hsa.models import utcnow
    from hsa.services.intelligence.demand_job import run_forecasts

    with session_scope() as session:
        stored = run_forecasts(session=session, now=_moment(args.now) or utcnow())
    print(f"demand forecasts stored for {stored} service x city series")
    return 0


def _publish_changes() -> None:
    """With Redis configured, publish this command's commits like a web worker does, so e.g. a
    reminder sent from cron appears in the open bell of the person it is for, on any worker."""
    from hsa.services import changes
    from hsa.settings import get_settings

    if url := get_settings().redis_url:
        changes.publish_to_redis(url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hsa.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=_migrate)
    seed = sub.add_parser("seed", help="load demo data when the database has no users")
    seed.add_argument("--demand-history", action="store_true",
                      help="also plant two years of past demand and compute the forecasts (demo only)")
    seed.set_defaults(func=_seed)
    admin = sub.add_parser("create-admin", help="create an admin (password from HSA_ADMIN_PASSWORD or prompt)")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Administrator")
    admin.add_argument("--phone", default="+919000000000", help="mobile number; one live account per number")
    admin.add_argument("--pincode", default="110001")
    admin.set_defaults(func=_create_admin)
    back = sub.add_parser("backup", help="consistent online copy of the database (safe while serving)")
    back.add_argument("--output", help="file to write (default var/backups/hsa-<time>.db|.dump)")
    back.set_defaults(func=_backup)
    rest = sub.add_parser("restore", help="replace the database with a backup (stop the app first)")
    rest.add_argument("file")
    rest.add_argument("--yes", action="store_true", help="confirm replacing the current data")
    rest.set_defaults(func=_restore)
    rem = sub.add_parser("reminders", help="send due reminders once (run from cron every few minutes)")
    rem.add_argument("--now", help="pretend it is this ISO date-time (no offset = IST), e.g. 2026-12-01T07:00")
    rem.set_defaults(func=_reminders)
    train = sub.add_parser("train", help='fit the "describe your problem" model (corpus + booking remarks)')
    train.add_argument("--ship", action="store_true", help="write into the repo's shipped model folder")
    train.add_argument("--corpus-only", action="store_true", help="ignore the database's booking remarks")
    train.add_argument("--cap", type=int, default=20_000, help="booking remarks per service at most")
    train.set_defaults(func=_train)
    fc = sub.add_parser("forecast", help="recompute the admins' demand forecasts now (the reminder pass does it daily)")
    fc.add_argument("--now", help="pretend it is this ISO date-time (no offset = IST)")
    fc.set_defaults(func=_forecast)
    imp = sub.add_parser("import-demand", help="import past daily demand from a CSV: day,service,city,requests")
    imp.add_argument("file")
    imp.add_argument("--source", default="import", help="label for these rows; re-importing a source replaces it")
    imp.set_defaults(func=_import_demand)
    args = parser.parse_args(argv)
    try:
        _publish_changes()
        return int(args.func(args))
    except _BadMoment:
        return 2
    except SettingsError as exc:  # a bad HSA_* value: its message names the variable, no traceback
        print(f"configuration error:\n{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
