#!/usr/bin/env bash
# Serve the Flask peer (issue #15) on hsa's SQLite database with gunicorn, 2 sync workers.
#   bench/peer_flask/serve.sh /tmp/side.db 8300            # PEER_SEARCH=radius for hsa's search rule
# The database must already exist (bench/generate.py); the peer never creates or migrates tables.
# Its packages live in their own venv (requirements.txt beside this file): gunicorn must not be
# importable from hsa's venv, or Reflex serves hsa with gunicorn + uvicorn instead of Granian.
set -euo pipefail
DB="$(realpath "$1")"
PORT="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
export HSA_VENV="${PEER_VENV:-$HERE/.venv}"
source "$HERE/../../scripts/_venv.sh"
ensure_venv bench/peer_flask/requirements.txt
cd "$HERE"
export PEER_DATABASE="$DB"
export PEER_SECRET_KEY="${PEER_SECRET_KEY:-$(python -c 'import secrets; print(secrets.token_hex(32))')}"
exec gunicorn --workers "${PEER_WORKERS:-2}" --worker-class sync --bind "127.0.0.1:$PORT" --no-control-socket app:app
