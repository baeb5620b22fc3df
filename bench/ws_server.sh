#!/usr/bin/env bash
# Start the backend alone (websocket + API, no frontend build) on a benchmark database.
#   bench/ws_server.sh sqlite:////tmp/bench.db 8200            # 1 worker, state in memory/disk
#   REFLEX_REDIS_URL=redis://127.0.0.1:6379 GRANIAN_WORKERS=2 bench/ws_server.sh postgresql+psycopg://... 8200
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" REFLEX_USE_NPM=1 HSA_DATABASE_URL="$1" HSA_PUBLIC_URL="http://localhost:$2"
export HSA_DATA_DIR="${HSA_DATA_DIR:-/tmp/hsa-bench-data}"
mkdir -p "$HSA_DATA_DIR"
python -m hsa.cli migrate
exec reflex run --env prod --backend-only --backend-port "$2" --backend-host "${HSA_BIND:-127.0.0.1}"
