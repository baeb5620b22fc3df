"""`scripts/serve` listens on loopback unless HSA_BIND says otherwise, and checks settings first.

The script runs for real (real venv python: settings check, migrate, seed on a temporary
database); only the final `reflex run` is a stand-in that records its arguments, so no server
starts. That a started server then listens on 127.0.0.1 only was checked by hand with `ss -ltnp`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _serve(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    args_file = tmp_path / "reflex-args"
    reflex = venv / "bin" / "reflex"
    reflex.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{args_file}"\n')
    for f in (python, reflex):
        f.chmod(0o755)
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()
    (venv / ".stamp-requirements.txt").write_text(digest + "\n")  # the venv counts as installed
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HSA_", "REFLEX_"))}
    clean |= {"HSA_VENV": str(venv), "HSA_DATA_DIR": str(tmp_path / "data"), "PORT": "3990"}
    args_file.unlink(missing_ok=True)
    done = subprocess.run(["bash", str(ROOT / "scripts" / "serve")], cwd=ROOT, env=clean | env,
                          capture_output=True, text=True, timeout=300, check=False)
    return done, args_file.read_text().split("\n")[:-1] if args_file.exists() else []


def test_serve_binds_loopback_by_default_and_hsa_bind_exposes_it(tmp_path: Path) -> None:
    done, args = _serve(tmp_path)
    assert done.returncode == 0, done.stderr
    assert args == ["run", "--env", "prod", "--single-port", "--frontend-port", "3990", "--backend-host", "127.0.0.1"]
    everywhere = "0.0.0.0"  # noqa: S104 - exposing on purpose is what HSA_BIND is for
    done, args = _serve(tmp_path, HSA_BIND=everywhere)
    assert done.returncode == 0, done.stderr
    assert args[-2:] == ["--backend-host", everywhere]


def test_serve_stops_on_a_bad_setting_before_touching_the_database(tmp_path: Path) -> None:
    done, args = _serve(tmp_path, HSA_ETA_SPEED_KMH="500")
    assert done.returncode == 2
    assert "HSA_ETA_SPEED_KMH must be between 5 and 120, got '500'" in done.stderr
    assert "Traceback" not in done.stderr
    assert args == [] and not (tmp_path / "data" / "hsa.db").exists()
